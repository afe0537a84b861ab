/* vd-core.h: the Verdict review engine (no GTK)
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

#include "vd-types.h"
#include "vd-agent.h"
#include "vd-audit-event.h"
#include "vd-backpressure.h"
#include "vd-bulk.h"
#include "vd-calibration.h"
#include "vd-deadline-monitor.h"
#include "vd-decision.h"
#include "vd-decision-log.h"
#include "vd-diff.h"
#include "vd-diff-stat.h"
#include "vd-exporter.h"
#include "vd-fatigue.h"
#include "vd-feedback-summary.h"
#include "vd-forecast.h"
#include "vd-import-queue.h"
#include "vd-importer.h"
#include "vd-insights.h"
#include "vd-attachment.h"
#include "vd-item.h"
#include "vd-json-guard.h"
#include "vd-key.h"
#include "vd-key-file.h"
#include "vd-keystore.h"
#include "vd-llm-client.h"
#include "vd-minisign.h"
#include "vd-passphrase.h"
#include "vd-policy.h"
#include "vd-policy-update.h"
#include "vd-queue-reader.h"
#include "vd-revision.h"
#include "vd-roster.h"
#include "vd-signer.h"
#include "vd-sla.h"
#include "vd-sla-timer.h"
#include "vd-sqlite-store.h"
#include "vd-store.h"
#include "vd-timestamp.h"
#include "vd-training-export.h"
#include "vd-workflow.h"
