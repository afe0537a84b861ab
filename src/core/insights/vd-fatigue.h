/* vd-fatigue.h
 *
 * Copyright 2026 The Verdict developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "vd-types.h"

G_BEGIN_DECLS

/**
 * VdFatigueDecision:
 * @timestamp: when the decision was made, in microseconds since the Unix
 *   epoch
 * @duration_ms: how long the item was in front of the reviewer before the
 *   decision
 * @kind: what the reviewer decided
 * @modified: the reviewer changed the output; only an approval with this
 *   %FALSE is an approval (a %VD_DECISION_KIND_MODIFY decision never is)
 * @expected_decision: (nullable): for a known-answer check, the decision
 *   the item expects, as a wire name (`reject`, ...); %NULL for other items
 *
 * One decision of one reviewer. The string is borrowed: it only needs to
 * live during vd_fatigue_compute().
 */
typedef struct
{
  gint64          timestamp;
  gint64          duration_ms;
  VdDecisionKind  kind;
  gboolean        modified;
  const char     *expected_decision;
} VdFatigueDecision;

/**
 * VdFatigueOptions:
 * @session_gap_usec: a pause of at least this long between two decisions
 *   ends a session (30 minutes by default)
 * @fast_floor_ms: an approval faster than this is fast (3 s by default)
 * @fast_fraction: an approval faster than this fraction of the reviewer's
 *   median time per item is fast too (0.25 by default; 0 leaves only
 *   @fast_floor_ms)
 * @fast_streak_signal: a run of at least this many fast approvals raises the
 *   fast-streak signal (10 by default; 0 never raises it)
 * @long_session_usec: a session at least this long raises the no-pause
 *   signal (90 minutes by default; 0 never raises it)
 *
 * The thresholds of the fatigue figures. Start from
 * vd_fatigue_options_init() and change what the preferences say.
 */
typedef struct
{
  gint64 session_gap_usec;
  gint64 fast_floor_ms;
  double fast_fraction;
  guint  fast_streak_signal;
  gint64 long_session_usec;
} VdFatigueOptions;

/**
 * VdFatigueSession:
 * @start: the timestamp of the session's first decision (the time spent on
 *   that first item is not counted: when the window moves on to the next
 *   item by itself, that time includes the pause before the session)
 * @end: the timestamp of the session's last decision
 * @decisions: the decisions in the session
 * @approvals: of @decisions, the approvals (unchanged)
 * @approval_rate: @approvals / @decisions
 * @median_ms: the median time per item (the 50th percentile by nearest
 *   rank, see #VdFatigueReport)
 * @p10_ms: the 10th percentile time per item by nearest rank
 * @longest_fast_streak: the longest run of consecutive fast approvals
 * @checks_seen: the known-answer checks decided in the session
 * @checks_agreed: of @checks_seen, those decided as expected
 * @fast_streak_signal: @longest_fast_streak reached the option's
 *   fast_streak_signal
 * @long_session_signal: @end - @start reached the option's
 *   long_session_usec
 *
 * One stretch of work without a pause of the session gap or longer.
 */
typedef struct
{
  gint64   start;
  gint64   end;
  guint64  decisions;
  guint64  approvals;
  double   approval_rate;
  gint64   median_ms;
  gint64   p10_ms;
  guint64  longest_fast_streak;
  guint64  checks_seen;
  guint64  checks_agreed;
  gboolean fast_streak_signal;
  gboolean long_session_signal;
} VdFatigueSession;

/**
 * VdFatigueReport:
 * @options: the options the figures were computed with
 * @now: the time the report was computed for (microseconds since the epoch)
 * @decisions: all decisions given
 * @approvals: of @decisions, the approvals (unchanged)
 * @approval_rate: @approvals / @decisions: the reviewer's history, to hold
 *   a session's rate against (0.0 without decisions)
 * @team_approval_rate: the team's approval rate on the same queue as given,
 *   negative when unknown
 * @median_ms: the reviewer's median time per item over all decisions
 * @p10_ms: the 10th percentile of the same
 * @fast_limit_ms: an approval that took less than this is fast: the larger
 *   of the option's fast_floor_ms and fast_fraction * @median_ms, so that
 *   both a reviewer whose every decision is quick and one who waves some
 *   items through much faster than their own pace are caught
 * @checks_seen: the known-answer checks decided
 * @checks_agreed: of @checks_seen, those decided as the check expects (the
 *   decision kinds are compared, the modified flag is not)
 * @sessions: (element-type VdFatigueSession): the sessions, oldest first
 * @on_break: no decision within the session gap before @now (or none at
 *   all): the reviewer is not in a session
 * @time_since_break_usec: @now - the start of the current session; 0 when
 *   @on_break
 * @current_fast_streak: the run of fast approvals that ends with the
 *   current session's last decision; 0 when @on_break
 * @fast_streak_signal: @current_fast_streak reached the option's
 *   fast_streak_signal: suggest a slower look
 * @no_pause_signal: @time_since_break_usec reached the option's
 *   long_session_usec: suggest a break
 *
 * One reviewer's fatigue figures.
 *
 * Percentiles are by nearest rank: of n durations sorted ascending, the
 * p-th percentile is the one at the 1-based rank ceil(p * n / 100). The
 * median is the 50th percentile, so of an even number of durations it is
 * the lower of the two middle ones. All are 0 without decisions.
 */
typedef struct
{
  VdFatigueOptions options;
  gint64           now;
  guint64          decisions;
  guint64          approvals;
  double           approval_rate;
  double           team_approval_rate;
  gint64           median_ms;
  gint64           p10_ms;
  double           fast_limit_ms;
  guint64          checks_seen;
  guint64          checks_agreed;
  GArray          *sessions;
  gboolean         on_break;
  gint64           time_since_break_usec;
  guint64          current_fast_streak;
  gboolean         fast_streak_signal;
  gboolean         no_pause_signal;
} VdFatigueReport;

void             vd_fatigue_options_init     (VdFatigueOptions        *options);

#define VD_TYPE_FATIGUE_REPORT (vd_fatigue_report_get_type ())
GType            vd_fatigue_report_get_type  (void) G_GNUC_CONST;
VdFatigueReport *vd_fatigue_report_copy      (const VdFatigueReport   *report);
void             vd_fatigue_report_free      (VdFatigueReport         *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VdFatigueReport, vd_fatigue_report_free)

VdFatigueReport *vd_fatigue_compute          (const VdFatigueDecision *decisions,
                                              gsize                    n_decisions,
                                              gint64                   now,
                                              double                   team_approval_rate,
                                              const VdFatigueOptions  *options);
JsonNode        *vd_fatigue_report_to_json   (const VdFatigueReport   *report,
                                              const char              *reviewer_id);

G_END_DECLS
