/* vd-new-task-dialog.h
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

#include <adwaita.h>

#include "vd-workflow.h"

G_BEGIN_DECLS

#define VD_TYPE_NEW_TASK_DIALOG (vd_new_task_dialog_get_type ())

/*
 * The "New Task" dialog: queue, task type, input and context; "Run" hands
 * them to the workflow and shows the agent's output as it streams in, then
 * what the policy made of it. Use it through vd_new_task_dialog_run_async().
 */
G_DECLARE_FINAL_TYPE (VdNewTaskDialog, vd_new_task_dialog, VD, NEW_TASK_DIALOG, AdwWindow)

GtkWidget *vd_new_task_dialog_new         (VdWorkflow           *workflow);
VdWorkflow *vd_new_task_dialog_get_workflow (VdNewTaskDialog    *self);

void       vd_new_task_dialog_run_async   (GtkWindow            *parent,
                                           VdWorkflow           *workflow,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
VdItem    *vd_new_task_dialog_run_finish  (GAsyncResult         *result,
                                           gboolean             *show_in_queue,
                                           GError              **error);

G_END_DECLS
