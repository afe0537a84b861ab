#!/usr/bin/python3
# test-atspi.py
#
# Copyright 2026 The Verdict developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The review window as a reviewer's assistive technology sees it: start the
# built app on a store that already holds the sample queue, find its
# controls in the AT-SPI tree by role and accessible name, decide three items
# with the decision buttons (approve, reject with feedback typed through the
# editable-text interface, escalate with a reason), close the app, and check
# the store with verdict-cli.
#
# Usage: test-atspi.py VERDICT VERDICT_CLI SAMPLE_QUEUE
# Runs under dbus-run-session and a display (xvfb-run); needs gi and Atspi.

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings

# Atspi.Action.get_action_name is the name that works from 2.46 on; newer
# releases deprecate it.
warnings.filterwarnings('ignore', category=DeprecationWarning)

REVIEWER = 'atspi-reviewer'
FEEDBACK = 'Quote the clause of the contract that allows this.'
REASON = 'Needs the legal team: the clause is ambiguous.'
TIMEOUT = 30


def fail(message):
    print('FAIL: ' + message, file=sys.stderr)
    sys.exit(1)


def check_bus():
    """Without a session bus an AT-SPI client hangs: fail fast instead."""
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        fail('no session bus: run the test under dbus-run-session')
    if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
        fail('no display: run the test under xvfb-run')

    from gi.repository import Gio, GLib
    try:
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        bus.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus', 'GetAddress',
                      None, GLib.VariantType.new('(s)'), Gio.DBusCallFlags.NONE,
                      5000, None)
    except GLib.Error as error:
        fail('the accessibility bus does not answer (is at-spi2-core installed?): '
             + error.message)


def pump():
    """Lets libatspi see the events that keep its cache current (new
    applications, children, states)."""
    from gi.repository import GLib
    context = GLib.MainContext.default()
    while context.iteration(False):
        pass


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        pump()
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            fail('timed out waiting for ' + what)
        time.sleep(0.05)


def children(node):
    try:
        count = node.get_child_count()
    except Exception:
        return
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            child = None
        if child is not None:
            yield child


def walk(node, depth=0):
    yield node
    if depth > 60:
        return
    for child in children(node):
        yield from walk(child, depth + 1)


def role_of(node):
    try:
        return node.get_role()
    except Exception:
        return None


def name_of(node):
    try:
        return node.get_name() or ''
    except Exception:
        return ''


def description_of(node):
    try:
        return node.get_description() or ''
    except Exception:
        return ''


def has_state(node, state):
    try:
        return node.get_state_set().contains(state)
    except Exception:
        return False


def name_matches(node, name):
    # GTK 4.8 appends the text of a button's label to the accessible name
    # it was given ("Approve Approve"): the name given comes first.
    actual = name_of(node)
    return actual == name or actual.startswith(name + ' ')


def find(root, role=None, name=None, description=None):
    for node in walk(root):
        if role is not None and role_of(node) != role:
            continue
        if name is not None and not name_matches(node, name):
            continue
        if description is not None and description_of(node) != description:
            continue
        return node
    return None


def has_interface(node, name):
    try:
        return name in node.get_interfaces()
    except Exception:
        return False


def text_of(node):
    from gi.repository import Atspi
    if not has_interface(node, 'Text'):
        return name_of(node)
    # GTK 4.8 returns nothing for (0, -1): ask for the real length.
    return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))


def click(node):
    from gi.repository import Atspi
    if not has_interface(node, 'Action'):
        fail('%s "%s" has no action interface' % (role_of(node), name_of(node)))
    for i in range(Atspi.Action.get_n_actions(node)):
        if Atspi.Action.get_action_name(node, i) == 'click':
            Atspi.Action.do_action(node, i)
            return
    fail('%s "%s" has no click action' % (role_of(node), name_of(node)))


def find_app(desktop, pid):
    for app in children(desktop):
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def counts_pending(window):
    from gi.repository import Atspi
    label = find(window, role=Atspi.Role.LABEL, description='Item counts')
    if label is None:
        return None
    words = text_of(label).split()
    if len(words) < 4 or words[1] != 'pending':
        return None
    return int(words[0])


def decide_with_dialog(app, window, button_name, dialog_title, text, confirm_name):
    """Clicks a decision button; types @text into the dialog's text view
    through the editable-text interface; confirms."""
    from gi.repository import Atspi

    click(wait_for('the %s button' % button_name,
                   lambda: find(window, role=Atspi.Role.PUSH_BUTTON, name=button_name)))

    def dialog():
        return next((node for node in children(app) if name_of(node) == dialog_title), None)

    dialog_node = wait_for('the "%s" dialog' % dialog_title, dialog)
    confirm = wait_for('the %s button of the dialog' % confirm_name,
                       lambda: find(dialog_node, role=Atspi.Role.PUSH_BUTTON, name=confirm_name))
    if has_state(confirm, Atspi.StateType.SENSITIVE):
        fail('the %s button is enabled before any text was written' % confirm_name)

    editor = None
    for node in walk(dialog_node):
        if role_of(node) in (Atspi.Role.TEXT, Atspi.Role.ENTRY) and \
           has_state(node, Atspi.StateType.EDITABLE):
            editor = node
            break
    if editor is None:
        fail('no editable text in the "%s" dialog' % dialog_title)
    if not has_interface(editor, 'EditableText'):
        fail('the text of the "%s" dialog has no editable-text interface' % dialog_title)
    Atspi.EditableText.insert_text(editor, 0, text, len(text))

    wait_for('the %s button to be enabled' % confirm_name,
             lambda: has_state(confirm, Atspi.StateType.SENSITIVE))
    click(confirm)
    wait_for('the "%s" dialog to close' % dialog_title, lambda: dialog() is None)


def cli(verdict_cli, db, *args):
    result = subprocess.run([verdict_cli, '--db', db] + list(args),
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        fail('verdict-cli %s failed: %s' % (' '.join(args), result.stderr))
    return result.stdout


def reviewer_decisions(verdict_cli, db):
    lines = cli(verdict_cli, db, 'export', 'decisions', '-').splitlines()
    records = [json.loads(line) for line in lines[1:] if line.strip()]
    return [r for r in records if r.get('reviewer_id') == REVIEWER]


def main():
    if len(sys.argv) != 4:
        fail('usage: test-atspi.py VERDICT VERDICT_CLI SAMPLE_QUEUE')
    verdict, verdict_cli, sample = sys.argv[1:]

    check_bus()

    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi

    tmpdir = tempfile.TemporaryDirectory(prefix='verdict-atspi-')
    db = os.path.join(tmpdir.name, 'verdict.db')
    cli(verdict_cli, db, 'import', sample)
    pending_before = len(cli(verdict_cli, db, 'list', '--status', 'pending',
                             '--json').splitlines())
    if pending_before < 3:
        fail('the sample leaves %d pending items; 3 are needed' % pending_before)

    env = dict(os.environ)
    for key in ('GTK_A11Y', 'NO_AT_BRIDGE'):
        env.pop(key, None)
    env['VERDICT_REVIEWER'] = REVIEWER
    env['GSETTINGS_BACKEND'] = 'memory'
    env['ADW_DISABLE_PORTAL'] = '1'
    env['GDK_DEBUG'] = 'gl-disable'
    env.pop('G_DEBUG', None)

    app_process = subprocess.Popen([verdict, '--db', db], env=env)
    try:
        Atspi.init()
        desktop = Atspi.get_desktop(0)
        app = wait_for('the app in the accessibility tree',
                       lambda: find_app(desktop, app_process.pid))

        window = wait_for('the main window',
                          lambda: next((w for w in children(app)
                                        if name_of(w) == 'Verdict'), None))

        # The list and the first item come up selected, ready to decide.
        approve = wait_for('an enabled Approve button',
                           lambda: (lambda b: b if b is not None and
                                    has_state(b, Atspi.StateType.SENSITIVE) else None)
                           (find(window, role=Atspi.Role.PUSH_BUTTON, name='Approve')))
        for name in ('Reject', 'Escalate', 'Modify', 'Search items', 'Queue',
                     'Status filter', 'Escalation reason filter', 'Sort order',
                     'Main Menu', 'Import Queue'):
            if find(window, name=name) is None:
                fail('no control named "%s" in the window' % name)
        if find(window, role=Atspi.Role.LIST, name='Review queue') is None:
            fail('no list named "Review queue"')

        pending = wait_for('the counts', lambda: counts_pending(window))
        if pending != pending_before:
            fail('the window counts %d pending items, the store %d' % (pending, pending_before))

        click(approve)
        wait_for('the approval', lambda: counts_pending(window) == pending - 1)

        decide_with_dialog(app, window, 'Reject', 'Reject Output', FEEDBACK, 'Reject')
        wait_for('the rejection', lambda: counts_pending(window) == pending - 2)

        decide_with_dialog(app, window, 'Escalate', 'Escalate Item', REASON, 'Escalate')
        wait_for('the escalation', lambda: counts_pending(window) == pending - 3)

        # The counts move before the store answers: wait for the writes.
        wait_for('the three decisions in the store',
                 lambda: len(reviewer_decisions(verdict_cli, db)) == 3)
    finally:
        if app_process.poll() is None:
            app_process.send_signal(signal.SIGTERM)
            try:
                app_process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                app_process.kill()
                app_process.wait()

    decisions = reviewer_decisions(verdict_cli, db)
    kinds = [d['decision'] for d in decisions]
    if kinds != ['approve', 'reject', 'escalate_further']:
        fail('decisions in the store: %s' % kinds)
    if decisions[1]['feedback'] != FEEDBACK:
        fail('rejection feedback in the store: %r' % decisions[1]['feedback'])
    if decisions[2]['feedback'] != REASON:
        fail('escalation reason in the store: %r' % decisions[2]['feedback'])
    for decision in decisions:
        if decision['duration_ms'] <= 0 or decision['automatic']:
            fail('decision without a duration or marked automatic: %r' % decision)

    pending_after = len(cli(verdict_cli, db, 'list', '--status', 'pending',
                            '--json').splitlines())
    if pending_after != pending_before - 3:
        fail('%d pending items after three decisions, %d before' %
             (pending_after, pending_before))

    audit = cli(verdict_cli, db, 'audit', 'verify')
    print(audit.strip())
    print('OK: 3 decisions by %s found through the accessibility tree' % REVIEWER)


if __name__ == '__main__':
    main()
