#!/usr/bin/python3
# test-review-flow.py
#
# Copyright 2026 The Verdict developers
#
# This program is free software: you can redistribute it and/or modify
# it under the terms of the GNU General Public License as published by
# the Free Software Foundation, either version 3 of the License, or
# (at your option) any later version.
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""The review flow driven from outside, as a reviewer's assistive technology
would drive it.

The built app runs as its own process on a store that already holds the
sample queue. The test finds the window's controls in the accessibility tree
(AT-SPI), approves the first item, rejects the second with feedback and
escalates the third with a reason, all through the controls' actions and the
dialogs' editable text. Then it stops the app and checks the store and its
audit trail with verdict-cli.

Environment: VERDICT_APP (the built app), VERDICT_CLI (the built verdict-cli),
VERDICT_SAMPLES (data/samples), GSETTINGS_SCHEMA_DIR (the compiled schemas).
Needs a display and a session bus: run it under
xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" dbus-run-session --.
Prints TAP.
"""

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import warnings

import gi

gi.require_version('Atspi', '2.0')
gi.require_version('Gio', '2.0')
from gi.repository import Atspi, Gio, GLib  # noqa: E402

REVIEWER = 'atspi-reviewer'
APP_NAME = 'verdict'
REJECT_FEEDBACK = ('Cite the payment terms of invoice MT-5512 & check the '
                   'beneficiary against the <b>sanctions</b> list.')
ESCALATE_REASON = 'The failed run touches the release branch; a release manager must decide.'

START_DEADLINE = 20.0   # seconds for the app to appear in the tree
STEP_DEADLINE = 15.0    # seconds for any one change in the window
STORE_DEADLINE = 15.0   # seconds for the decisions to reach the store
EXIT_DEADLINE = 5.0     # seconds for the app to exit after SIGTERM

CASES = [
    'the test can run here and the sample queue is imported with verdict-cli',
    'the app appears in the accessibility tree',
    'the window opens with the first pending item selected, focus outside text fields',
    'the first item is approved with the Approve button',
    'the second item is rejected with feedback through the Reject dialog',
    'the third item is escalated with a reason through the Escalate dialog',
    'the decisions reach the store while the app runs',
    'the app exits on SIGTERM',
    'exactly the three items changed status: approved, rejected, escalated',
    'each of the three items holds one decision by the reviewer, as taken',
    'the audit trail verifies and grew by the three decisions',
]


class Failure(Exception):
    """A check failed; the message says what was expected and what was seen."""


def diag(text):
    for line in str(text).splitlines() or ['']:
        print('# ' + line, flush=True)


def wait_for(what, deadline, poll, interval=0.05):
    """Calls POLL until it returns something other than None or False and
    returns that; raises Failure naming WHAT after DEADLINE seconds. Errors
    from the accessibility bus while the app is busy count as "not yet"."""
    end = time.monotonic() + deadline
    last_error = None
    while True:
        try:
            value = poll()
            if value is not None and value is not False:
                return value
        except GLib.Error as error:
            last_error = error
        if time.monotonic() > end:
            message = 'timed out after %.0f s waiting for %s' % (deadline, what)
            if last_error is not None:
                message += ' (last error: %s)' % last_error.message
            raise Failure(message)
        time.sleep(interval)


# Accessibility tree helpers

def children(acc):
    for i in range(acc.get_child_count()):
        child = acc.get_child_at_index(i)
        if child is not None:
            yield child


def walk(acc):
    yield acc
    for child in children(acc):
        yield from walk(child)


def text_of(acc):
    """The whole text of an accessible with the text interface. GTK 4.8
    answers get_text (0, -1) with an empty string: ask for the length."""
    count = Atspi.Text.get_character_count(acc)
    return Atspi.Text.get_text(acc, 0, count)


def has_state(acc, state):
    acc.clear_cache()
    return acc.get_state_set().contains(state)


def name_is(acc, label):
    """Whether the accessible name of a control is LABEL. GTK 4.8 builds a
    button's name from its accessible label followed by the text of its
    label child ("Reject Reject…"), and from the label with its mnemonic
    underscore when no accessible label is set ("_Reject Reject")."""
    name = (acc.get_name() or '').replace('_', '')
    return name == label or name == label + '…' or name.startswith(label + ' ')


def find(root, what, predicate):
    for acc in walk(root):
        if predicate(acc):
            return acc
    raise Failure('no %s in the accessibility tree' % what)


def button(root, label):
    return find(root, 'push button named "%s"' % label,
                lambda a: a.get_role() == Atspi.Role.PUSH_BUTTON and name_is(a, label))


def click(acc):
    """Runs the "click" action, as a screen reader's activate command does
    (positions over AT-SPI are relative to the window, so no pointer)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        names = [Atspi.Action.get_action_name(acc, i)
                 for i in range(Atspi.Action.get_n_actions(acc))]
    if 'click' not in names:
        raise Failure('%r has no "click" action (actions: %s)' % (acc.get_name(), names))
    if not Atspi.Action.do_action(acc, names.index('click')):
        raise Failure('the "click" action of %r failed' % acc.get_name())


def described_label(root, description):
    """A label found by its accessible description: a label's name is its
    text, so it changes with every item."""
    return find(root, 'label described as "%s"' % description,
                lambda a: (a.get_role() == Atspi.Role.LABEL and
                           (a.get_description() or '').lower() == description.lower()))


# The app and the store

class Session:
    def __init__(self):
        self.app_path = os.environ.get('VERDICT_APP', '')
        self.cli_path = os.environ.get('VERDICT_CLI', '')
        self.samples = os.environ.get('VERDICT_SAMPLES', '')
        self.tmp = tempfile.mkdtemp(prefix='verdict-atspi-')
        self.db = os.path.join(self.tmp, 'v.db')
        self.log_path = os.path.join(self.tmp, 'app.log')
        self.proc = None
        self.app = None
        self.window = None
        self.ids = []           # task ids of the three items, in order decided
        self.before = {}        # task id -> status before the app started
        self.audit_before = None
        self.timing = {}
        self.missing = []       # controls the last survey of the window missed

    def cli(self, *args, check=True):
        env = dict(os.environ, LC_ALL='C.UTF-8')
        env.pop('LANGUAGE', None)
        result = subprocess.run([self.cli_path, '--db', self.db] + list(args), env=env,
                                capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise Failure('verdict-cli %s exited with %d: %s' %
                          (' '.join(args), result.returncode, result.stderr.strip()))
        return result

    def statuses(self):
        out = self.cli('list', '--status', 'all', '--json').stdout
        items = [json.loads(line) for line in out.splitlines() if line.strip()]
        return {item['task_id']: item['status'] for item in items}

    def audit_count(self):
        result = self.cli('audit', 'verify', check=False)
        match = re.search(r'audit trail intact: (\d+) events', result.stdout)
        if result.returncode != 0 or match is None:
            raise Failure('audit verify exited with %d: %s%s' %
                          (result.returncode, result.stdout.strip(), result.stderr.strip()))
        return int(match.group(1))

    def app_log(self):
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as log:
                return log.read()
        except OSError:
            return ''

    def check_running(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise Failure('the app exited with status %d' % self.proc.returncode)

    def stop(self):
        """Stops the app if it still runs: SIGTERM, then SIGKILL."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=EXIT_DEADLINE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def check_environment(session):
    """Fails fast where an AT-SPI client would hang or the app cannot start."""
    for var, path in (('VERDICT_APP', session.app_path), ('VERDICT_CLI', session.cli_path)):
        if not path or not os.access(path, os.X_OK):
            raise Failure('%s is not an executable: "%s" (build the project first)' % (var, path))
    if not os.path.isfile(os.path.join(session.samples, 'review-queue.jsonl')):
        raise Failure('VERDICT_SAMPLES has no review-queue.jsonl: "%s"' % session.samples)
    if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
        raise Failure('no display: run under xvfb-run -a -s "-screen 0 1280x1024x24 -noreset"')
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        raise Failure('no session bus: run under dbus-run-session --')
    try:
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        bus.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus', 'GetAddress',
                      None, GLib.VariantType.new('(s)'), Gio.DBusCallFlags.NONE, 5000, None)
    except GLib.Error as error:
        raise Failure('no accessibility bus on the session bus (at-spi2-core): %s' %
                      error.message) from None


# The cases

def case_import(s):
    check_environment(s)
    result = s.cli('import', '--policy', os.path.join(s.samples, 'policy.json'),
                   os.path.join(s.samples, 'review-queue.jsonl'))
    diag(result.stdout.strip())
    s.before = s.statuses()
    pending = [t for t, status in s.before.items() if status == 'pending']
    if len(pending) < 3:
        raise Failure('expected at least 3 pending items after the import, got %d' % len(pending))
    s.audit_before = s.audit_count()


def case_app_appears(s):
    env = dict(os.environ)
    # The app must be in the tree: no GTK_A11Y=none (the GLib test
    # environment of the in-process tests sets it).
    for var in ('GTK_A11Y', 'NO_AT_BRIDGE', 'LANGUAGE', 'G_DEBUG'):
        env.pop(var, None)
    env.update({
        'VERDICT_DB': s.db,
        'VERDICT_REVIEWER': REVIEWER,
        'GSETTINGS_BACKEND': 'memory',
        'ADW_DISABLE_PORTAL': '1',
        'LC_ALL': 'C.UTF-8',
        'XDG_CONFIG_HOME': os.path.join(s.tmp, 'config'),
        'XDG_DATA_HOME': os.path.join(s.tmp, 'data'),
        # Software GL (llvmpipe under Xvfb) draws a frame slower than the
        # frame rate: a running spinner then redraws back to back, and
        # idle-priority sources (GTK's registration on the accessibility
        # bus, the list's row fetches) never run. Cairo keeps up.
        'GDK_DEBUG': 'gl-disable',
    })
    if 'GSETTINGS_SCHEMA_DIR' in os.environ:
        env['GSETTINGS_SCHEMA_DIR'] = os.environ['GSETTINGS_SCHEMA_DIR']

    started = time.monotonic()
    with open(s.log_path, 'w') as log:
        s.proc = subprocess.Popen([s.app_path], env=env, stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=subprocess.STDOUT)

    def poll_app():
        s.check_running()
        desktop = Atspi.get_desktop(0)
        desktop.clear_cache()
        for app in children(desktop):
            if app.get_name() == APP_NAME and app.get_process_id() == s.proc.pid:
                return app
        return None

    s.app = wait_for('an application named "%s" with the app\'s process id on the desktop '
                     '(GTK_A11Y=none hides it; so does a main loop that never gets idle)'
                     % APP_NAME, START_DEADLINE, poll_app)

    def poll_window():
        s.check_running()
        s.app.clear_cache()
        for top in children(s.app):
            if top.get_role() == Atspi.Role.FRAME:
                return top
        return None

    s.window = wait_for('the main window (a frame) in the app', START_DEADLINE, poll_window)
    s.timing['appears'] = time.monotonic() - started
    diag('app in the tree after %.2f s' % s.timing['appears'])


def shown_task_id(s):
    """The task id shown in the detail pane (empty while none is shown)."""
    return text_of(s.detail_task_id).strip()


def survey(s):
    """Finds the window's controls in one walk over its tree (a walk costs
    about a second: every step is a call to the app). The detail pane and
    the queue's rows both have a label described as the task id: the one
    the test reads is the detail pane's."""
    found = {}

    def visit(acc, in_detail):
        role = acc.get_role()
        if role == Atspi.Role.PANEL and acc.get_name() == 'Item details':
            in_detail = True
        elif role == Atspi.Role.PUSH_BUTTON:
            for label in ('Approve', 'Reject', 'Escalate'):
                if name_is(acc, label):
                    found.setdefault(label, acc)
        elif role == Atspi.Role.LABEL:
            description = (acc.get_description() or '').lower()
            if description == 'task id' and in_detail:
                found.setdefault('task id', acc)
            elif description == 'item counts':
                found.setdefault('counts', acc)
        elif role == Atspi.Role.LIST and acc.get_name() == 'Review queue':
            found.setdefault('queue', acc)
            return
        for child in children(acc):
            visit(child, in_detail)

    visit(s.window, False)
    wanted = {
        'Approve': 'push button named "Approve"',
        'Reject': 'push button named "Reject"',
        'Escalate': 'push button named "Escalate"',
        'task id': 'label described as "Task ID" in the panel named "Item details"',
        'counts': 'label described as "Item counts"',
        'queue': 'list named "Review queue"',
    }
    s.missing = [what for key, what in wanted.items() if key not in found]
    return None if s.missing else found


def case_first_selected(s):
    started = time.monotonic()
    try:
        controls = wait_for('the window\'s controls', STEP_DEADLINE, lambda: survey(s))
    except Failure as error:
        raise Failure('%s; missing: %s' % (error, '; '.join(s.missing))) from None
    s.approve, s.reject, s.escalate = (controls[k] for k in ('Approve', 'Reject', 'Escalate'))
    s.detail_task_id, s.counts = controls['task id'], controls['counts']

    first = wait_for('an item in the detail pane and a sensitive Approve button', STEP_DEADLINE,
                     lambda: (has_state(s.approve, Atspi.StateType.SENSITIVE) and
                              shown_task_id(s)))
    diag('first item %s shown, %.2f s after start; counts "%s"' %
         (first, time.monotonic() - started + s.timing['appears'], text_of(s.counts)))

    out = s.cli('list', '--status', 'pending', '--sort', 'confidence', '--json').stdout
    expected = json.loads(out.splitlines()[0])['task_id']
    if first != expected:
        raise Failure('the detail pane shows %s, the first pending item (lowest confidence '
                      'first) is %s' % (first, expected))

    selected = [row for row in children(controls['queue'])
                if has_state(row, Atspi.StateType.SELECTED)]
    if len(selected) != 1:
        raise Failure('expected one selected row in the queue, got %d' % len(selected))
    row_id = text_of(described_label(selected[0], 'Task id')).strip()
    if row_id != first:
        raise Failure('the selected row is %s, the detail pane shows %s' % (row_id, first))

    # The keyboard focus must be where a key press reaches the window's
    # shortcuts: on the selected row, or at least not in a text field,
    # where "a" would be typed.
    if has_state(selected[0], Atspi.StateType.FOCUSED):
        return
    focused = [a for a in walk(s.window) if has_state(a, Atspi.StateType.FOCUSED)]
    diag('focused: %s' % ', '.join('%s "%s"' % (a.get_role_name(), a.get_name())
                                    for a in focused))
    if not focused:
        # Without a window manager the last window mapped on the display
        # takes the keyboard focus: another test's window, say.
        if not has_state(s.window, Atspi.StateType.ACTIVE):
            diag('the window is not the active one: the focus is not checked')
            return
        raise Failure('nothing in the active window has the keyboard focus')
    for acc in focused:
        if 'EditableText' in acc.get_interfaces() or has_state(acc, Atspi.StateType.EDITABLE):
            raise Failure('the keyboard focus is in a text field (%s "%s")' %
                          (acc.get_role_name(), acc.get_name()))


def wait_next_item(s, previous):
    """Waits until the detail pane shows another item than PREVIOUS."""
    def poll():
        s.check_running()
        task_id = shown_task_id(s)
        return task_id if task_id not in ('', previous) else None
    return wait_for('the detail pane to move on from %s' % previous, STEP_DEADLINE, poll)


def case_approve(s):
    started = time.monotonic()
    first = shown_task_id(s)
    s.ids.append(first)
    click(s.approve)
    after = wait_next_item(s, first)
    s.timing['approve'] = time.monotonic() - started
    diag('approved %s; now %s (%.2f s); counts "%s"' %
         (first, after, s.timing['approve'], text_of(s.counts)))


def toplevel_count(s):
    s.check_running()
    s.app.clear_cache()
    return s.app.get_child_count()


# GTK 4.8 answers GetChildAtIndex on the application with an index past its
# shown windows by referring to its last window, shown or not; a window
# never shown (the shortcuts window) has no object path, and the app
# crashes. So the app's windows are listed only while their number grows
# (the app starting, a dialog opening); a closing dialog is awaited by
# their count alone.

def decision_dialog(s):
    """The modal window the app opens above the main window."""
    wait_for('a second window in the app', STEP_DEADLINE, lambda: toplevel_count(s) >= 2)

    def poll():
        s.check_running()
        s.app.clear_cache()
        for top in children(s.app):
            if has_state(top, Atspi.StateType.MODAL):
                return top
        return None
    return wait_for('a modal decision dialog', STEP_DEADLINE, poll)


def decide_in_dialog(s, open_button, confirm_label, text):
    """Opens a decision dialog with OPEN_BUTTON, types TEXT into its text
    field, confirms with the button named CONFIRM_LABEL, and waits for the
    dialog to close and the next item to show."""
    item = shown_task_id(s)
    s.ids.append(item)
    wait_for('the %s button to be sensitive' % open_button.get_name(), STEP_DEADLINE,
             lambda: has_state(open_button, Atspi.StateType.SENSITIVE))
    click(open_button)
    dialog = decision_dialog(s)
    diag('dialog "%s"' % dialog.get_name())

    summary = text_of(described_label(dialog, 'The item decided'))
    if not summary.startswith(item):
        raise Failure('the dialog is about "%s", expected item %s' % (summary[:80], item))

    field = find(dialog, 'editable text field',
                 lambda a: 'EditableText' in a.get_interfaces() and
                 has_state(a, Atspi.StateType.EDITABLE))
    confirm = button(dialog, confirm_label)

    # Confirming with no text says why and keeps the dialog open.
    click(confirm)
    shown = {}

    def poll():
        s.check_running()
        s.app.clear_cache()
        try:
            error = described_label(dialog, 'Why the decision cannot be confirmed yet')
        except Failure:
            return None
        shown['text'] = text_of(error)
        return 'required' in shown['text'].lower()
    wait_for('the dialog to say the text is required', STEP_DEADLINE, poll)
    if toplevel_count(s) != 2:
        raise Failure('"%s" with no text closed the dialog' % confirm.get_name())
    diag('empty confirm: "%s"' % shown['text'])

    # The text is ASCII: the length is then the same in bytes and characters.
    if not Atspi.EditableText.insert_text(field, 0, text, len(text.encode('utf-8'))):
        raise Failure('inserting text into "%s" failed' % field.get_name())
    wait_for('the text field to hold the inserted text', STEP_DEADLINE,
             lambda: text_of(field) == text)

    wait_for('"%s" to become sensitive once text was given' % confirm.get_name(),
             STEP_DEADLINE, lambda: has_state(confirm, Atspi.StateType.SENSITIVE))
    click(confirm)

    wait_for('the dialog to close (one window left)', STEP_DEADLINE,
             lambda: toplevel_count(s) == 1)
    return item, wait_next_item(s, item)


def case_reject(s):
    started = time.monotonic()
    item, after = decide_in_dialog(s, s.reject, 'Reject', REJECT_FEEDBACK)
    s.timing['reject'] = time.monotonic() - started
    diag('rejected %s; now %s (%.2f s)' % (item, after, s.timing['reject']))


def case_escalate(s):
    started = time.monotonic()
    item, after = decide_in_dialog(s, s.escalate, 'Escalate', ESCALATE_REASON)
    s.timing['escalate'] = time.monotonic() - started
    diag('escalated %s; now %s (%.2f s)' % (item, after, s.timing['escalate']))


def case_store_while_running(s):
    expected = dict(zip(s.ids, ('approved', 'rejected', 'escalated')))

    def poll():
        s.check_running()
        result = s.cli('list', '--status', 'all', '--json', check=False)
        if result.returncode != 0:     # the app may hold a write lock
            return None
        now = {}
        for line in result.stdout.splitlines():
            item = json.loads(line)
            if item['task_id'] in expected:
                now[item['task_id']] = item['status']
        return now == expected
    wait_for('the store to show %s' % expected, STORE_DEADLINE, poll, interval=0.2)


def case_sigterm(s):
    started = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    try:
        code = s.proc.wait(timeout=EXIT_DEADLINE)
    except subprocess.TimeoutExpired:
        raise Failure('the app still runs %.0f s after SIGTERM' % EXIT_DEADLINE) from None
    diag('the app exited with %d after %.2f s' % (code, time.monotonic() - started))
    if code not in (0, -signal.SIGTERM):
        raise Failure('the app exited with %d on SIGTERM' % code)


def case_statuses(s):
    after = s.statuses()
    if set(after) != set(s.before):
        raise Failure('the set of items changed: %d before, %d after' %
                      (len(s.before), len(after)))
    changed = {t: (s.before[t], after[t]) for t in after if after[t] != s.before[t]}
    expected = {s.ids[0]: ('pending', 'approved'),
                s.ids[1]: ('pending', 'rejected'),
                s.ids[2]: ('pending', 'escalated')}
    if changed != expected:
        raise Failure('expected the changes %s, got %s' % (expected, changed))


def case_decisions(s):
    expected = {s.ids[0]: ('approve', ''),
                s.ids[1]: ('reject', REJECT_FEEDBACK),
                s.ids[2]: ('escalate_further', ESCALATE_REASON)}
    by_reviewer = {}
    for task_id in sorted(s.before):
        item = json.loads(s.cli('show', task_id, '--json').stdout)
        mine = [d for d in item['decisions'] if d['reviewer_id'] == REVIEWER]
        manual = [d for d in item['decisions'] if not d['automatic']]
        if mine != manual:
            raise Failure('%s has decisions by someone else than %s: %s' %
                          (task_id, REVIEWER, manual))
        if mine:
            by_reviewer[task_id] = (item, mine)
    if set(by_reviewer) != set(expected):
        raise Failure('decisions by %s on %s, expected on %s' %
                      (REVIEWER, sorted(by_reviewer), sorted(expected)))
    for task_id, (kind, feedback) in expected.items():
        item, mine = by_reviewer[task_id]
        if len(mine) != 1:
            raise Failure('%s has %d decisions by %s, expected 1' % (task_id, len(mine), REVIEWER))
        decision = mine[0]
        seen = (decision['decision'], decision['feedback'], decision['modified_content'],
                decision['revision'])
        if seen != (kind, feedback, '', item['revision']):
            raise Failure('%s: expected %s, got %s' %
                          (task_id, (kind, feedback, '', item['revision']), seen))
        # The button's click fires a quarter second after the action: a
        # reviewer's duration is never zero here.
        if not isinstance(decision['duration_ms'], int) or decision['duration_ms'] <= 0:
            raise Failure('%s: duration_ms is %r' % (task_id, decision['duration_ms']))
        diag('%s: %s by %s after %d ms' % (task_id, kind, REVIEWER, decision['duration_ms']))


def case_audit(s):
    count = s.audit_count()
    # What was appended, read straight from the file: the three decisions,
    # in order. The reject also starts the agent's revision, which cannot
    # reach an endpoint here; whether its agent_error event is written before
    # the app is stopped depends on the connection retries, so it may be
    # there, and only for the rejected item.
    db = sqlite3.connect('file:%s?mode=ro' % s.db, uri=True)
    try:
        rows = db.execute('SELECT event, actor, task_id FROM audit WHERE seq > ? ORDER BY seq',
                          (s.audit_before,)).fetchall()
    finally:
        db.close()
    if len(rows) != count - s.audit_before:
        raise Failure('audit verify counts %d events, the file holds %d after %d' %
                      (count, s.audit_before + len(rows), s.audit_before))
    decisions = [(actor, task_id) for event, actor, task_id in rows if event == 'decision']
    if decisions != [(REVIEWER, task_id) for task_id in s.ids[:3]]:
        raise Failure('decision events %s, expected one by %s on each of %s' %
                      (decisions, REVIEWER, s.ids[:3]))
    others = [(event, task_id) for event, actor, task_id in rows if event != 'decision']
    if any(other != ('agent_error', s.ids[1]) for other in others) or len(others) > 1:
        raise Failure('unexpected audit events besides the decisions: %s' % others)


def main():
    runners = [case_import, case_app_appears, case_first_selected, case_approve,
               case_reject, case_escalate, case_store_while_running, case_sigterm,
               case_statuses, case_decisions, case_audit]
    assert len(runners) == len(CASES)

    print('1..%d' % len(CASES), flush=True)
    session = Session()
    failed = False
    started = time.monotonic()
    try:
        for number, (title, runner) in enumerate(zip(CASES, runners), start=1):
            if failed:
                print('ok %d - %s # SKIP an earlier case failed' % (number, title), flush=True)
                continue
            try:
                case_started = time.monotonic()
                runner(session)
                print('ok %d - %s' % (number, title), flush=True)
                diag('%.2f s' % (time.monotonic() - case_started))
            except Exception as error:  # every error fails the case
                failed = True
                print('not ok %d - %s' % (number, title), flush=True)
                if isinstance(error, (Failure, GLib.Error)):
                    diag('%s: %s' % (type(error).__name__, error))
                else:
                    diag(traceback.format_exc())
                log = session.app_log().strip()
                if log:
                    diag('app output (last 40 lines):')
                    diag('\n'.join(log.splitlines()[-40:]))
    finally:
        session.stop()
        diag('total %.2f s' % (time.monotonic() - started))
        if failed:
            diag('files kept in %s' % session.tmp)
        else:
            shutil.rmtree(session.tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
