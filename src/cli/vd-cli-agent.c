/* vd-cli-agent.c: verdict-cli run, revise, second-opinion and assist
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

#define G_LOG_DOMAIN "verdict-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "vd-cli-private.h"

/* The options every agent command takes. */
typedef struct
{
  char     *endpoint;
  char     *model;
  int       concurrency;   /* NO_CONCURRENCY unless given */
  gboolean  allow_insecure_http;
} AgentOptions;

#define NO_CONCURRENCY G_MININT
#define AGENT_OPTIONS_INIT { NULL, NULL, NO_CONCURRENCY, FALSE }

static void
agent_options_clear (AgentOptions *options)
{
  g_clear_pointer (&options->endpoint, g_free);
  g_clear_pointer (&options->model, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AgentOptions, agent_options_clear)

#define ENDPOINT_ENTRIES(options) \
  { "endpoint", 0, 0, G_OPTION_ARG_STRING, &(options).endpoint, \
    N_("The OpenAI-compatible API root (default: $VERDICT_LLM_URL, else " \
       VD_LLM_CLIENT_DEFAULT_BASE_URL ")"), N_("URL") }, \
  { "model", 0, 0, G_OPTION_ARG_STRING, &(options).model, \
    N_("The model (default: $VERDICT_LLM_MODEL, else " VD_LLM_CLIENT_DEFAULT_MODEL ")"), \
    N_("NAME") }, \
  { "allow-insecure-http", 0, 0, G_OPTION_ARG_NONE, &(options).allow_insecure_http, \
    N_("Send $VERDICT_LLM_API_KEY over plain http to a host other than this computer " \
       "(anyone on the way can read it)"), NULL }

/* Waiting for one asynchronous call on a main loop. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_clear (Wait *wait)
{
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  g_clear_object (&wait->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

static void
on_wait_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_run (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

/* Ctrl+C cancels; what was not stored yet is not stored. */
static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

/* Every message printed may quote the endpoint: none goes out with a key. */
static int
fail_redacted (const GError *error)
{
  g_autofree char *redacted = vd_llm_redact_text (error->message);
  g_autofree char *message = vd_cli_escape_line (redacted);

  g_printerr ("verdict-cli: %s\n", message);
  return VD_CLI_EXIT_FAILURE;
}

static const char *
env_or (const char *name,
        const char *fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? value : fallback;
}

/* Checks the endpoint given with --endpoint (@from_option) or in
 * VERDICT_LLM_URL; prints the problem, never the credentials, and returns
 * %FALSE if it is not usable. */
static gboolean
check_endpoint (VdCliGlobals *globals,
                const char   *endpoint,
                gboolean      from_option)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *redacted = NULL;
  g_autofree char *shown = NULL;

  if (vd_llm_check_endpoint_url (endpoint, &error))
    return TRUE;

  redacted = vd_llm_redact_text (endpoint);
  shown = vd_cli_escape_line (redacted);
  if (!g_error_matches (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS))
    {
      if (from_option)
        vd_cli_usage (globals, _("--endpoint: expected an http:// or https:// URL, found “%s”"),
                      shown);
      else
        g_printerr (_("verdict-cli: VERDICT_LLM_URL: expected an http:// or https:// URL, "
                      "found “%s”\n"), shown);
    }
  else if (from_option)
    {
      /* TRANSLATORS: %s is the URL without its credentials */
      vd_cli_usage (globals, _("--endpoint: the URL holds a user name or password (%s): "
                               "remove them and put the key in the VERDICT_LLM_API_KEY "
                               "environment variable"), shown);
    }
  else
    {
      /* TRANSLATORS: %s is the URL without its credentials */
      g_printerr (_("verdict-cli: VERDICT_LLM_URL: the URL holds a user name or password "
                    "(%s): remove them and put the key in the VERDICT_LLM_API_KEY "
                    "environment variable\n"), shown);
    }

  return FALSE;
}

/* The client from the options, the environment and the defaults; %NULL
 * after printing the problem, with *status set. */
static VdLlmClient *
make_client (VdCliGlobals *globals,
             AgentOptions *options,
             int          *status)
{
  g_autoptr(VdLlmClient) client = NULL;
  g_autofree char *url = NULL;
  const char *endpoint = options->endpoint;
  const char *model = options->model;
  const char *key;

  if (endpoint != NULL && !check_endpoint (globals, endpoint, TRUE))
    {
      *status = VD_CLI_EXIT_USAGE;
      return NULL;
    }
  if (options->model != NULL && *g_strstrip (options->model) == '\0')
    {
      *status = vd_cli_usage (globals, _("--model needs a name"));
      return NULL;
    }
  if (options->concurrency != NO_CONCURRENCY &&
      (options->concurrency < 1 || options->concurrency > 64))
    {
      *status = vd_cli_usage (globals, _("--concurrency takes a number from 1 to 64, not %d"),
                              options->concurrency);
      return NULL;
    }

  if (endpoint == NULL)
    {
      endpoint = env_or ("VERDICT_LLM_URL", VD_LLM_CLIENT_DEFAULT_BASE_URL);
      if (!check_endpoint (globals, endpoint, FALSE))
        {
          *status = VD_CLI_EXIT_FAILURE;
          return NULL;
        }
    }
  if (model == NULL)
    model = env_or ("VERDICT_LLM_MODEL", VD_LLM_CLIENT_DEFAULT_MODEL);

  client = vd_llm_client_new (endpoint, model);
  vd_llm_client_set_allow_insecure_http (client, options->allow_insecure_http);

  key = g_getenv ("VERDICT_LLM_API_KEY");
  if (key != NULL && key[0] != '\0')
    {
      vd_llm_client_set_api_key (client, key);

      /* Refused before anything runs, rather than on every input. */
      url = vd_llm_client_dup_endpoint_url (client);
      if (!vd_llm_key_allowed_for_url (url, options->allow_insecure_http))
        {
          g_autofree char *shown = vd_llm_redact_text (endpoint);

          *status = vd_cli_usage (globals,
                                  _("VERDICT_LLM_API_KEY would travel unencrypted over plain "
                                    "http to %s: use an https:// endpoint, or give "
                                    "--allow-insecure-http if you trust every network on "
                                    "the way"), shown);
          return NULL;
        }
    }
  if (options->concurrency != NO_CONCURRENCY)
    vd_llm_client_set_max_concurrent (client, options->concurrency);

  return g_steal_pointer (&client);
}

/* "low_confidence (confidence 0.55)", "auto-approved (confidence 0.92)" */
static char *
describe_outcome (VdItem *item)
{
  VdEscalationReason reason = vd_item_get_escalation_reason (item);

  if (vd_item_get_status (item) == VD_TASK_STATUS_APPROVED)
    return g_strdup_printf (_("auto-approved (confidence %.2f)"), vd_item_get_confidence (item));

  return g_strdup_printf (_("queued for review: %s (confidence %.2f)"),
                          vd_escalation_reason_to_string (reason),
                          vd_item_get_confidence (item));
}

/* run */

typedef struct
{
  VdWorkflow   *workflow;
  GMainLoop    *loop;
  GCancellable *cancellable;
  GPtrArray    *inputs;
  const char   *file_name;
  char         *queue;
  guint         next;
  guint         running;
  guint         window;
  guint         queued;
  guint         auto_approved;
  guint         failed;
  guint         not_stored;
} Run;

static void run_pump (Run *run);

typedef struct
{
  Run         *run;
  VdTaskInput *input;
} Submission;

static void
on_submitted (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Submission *submission = user_data;
  Run *run = submission->run;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;

  run->running--;
  item = vd_workflow_submit_finish (VD_WORKFLOW (object), result, &error);

  if (item == NULL)
    {
      g_autofree char *redacted = vd_llm_redact_text (error->message);
      g_autofree char *file_name = vd_cli_escape_line (run->file_name);
      g_autofree char *message = vd_cli_escape_line (redacted);

      run->not_stored++;
      g_printerr ("verdict-cli: %s:%u: %s\n", file_name, submission->input->line, message);
    }
  else if (vd_item_get_escalation_reason (item) == VD_ESCALATION_REASON_ERROR_OCCURRED)
    {
      g_autofree char *queue = vd_cli_escape_line (vd_item_get_queue (item));
      g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));
      g_autofree char *redacted = vd_llm_redact_text (vd_item_get_escalation_detail (item));
      g_autofree char *detail = vd_cli_escape_line (redacted);

      run->failed++;
      printf (_("%s/%s: failed, queued as error_occurred: %s\n"), queue, task_id,
              detail != NULL ? detail : "");
    }
  else
    {
      g_autofree char *queue = vd_cli_escape_line (vd_item_get_queue (item));
      g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));
      g_autofree char *outcome = describe_outcome (item);

      if (vd_item_get_status (item) == VD_TASK_STATUS_APPROVED)
        run->auto_approved++;
      else
        run->queued++;
      printf ("%s/%s: %s\n", queue, task_id, outcome);
    }
  fflush (stdout);

  run_pump (run);
}

/* Keeps a few submissions ahead of the client's limit so that it never
 * idles, in file order (generated ids follow it). */
static void
run_pump (Run *run)
{
  while (run->running < run->window && run->next < run->inputs->len &&
         !g_cancellable_is_cancelled (run->cancellable))
    {
      Submission *submission = g_new0 (Submission, 1);
      VdTaskInput *input = g_ptr_array_index (run->inputs, run->next++);

      submission->run = run;
      submission->input = input;
      run->running++;
      vd_workflow_submit_async (run->workflow, run->queue, input->task_id,
                                input->task_description, input->task_type, input->context,
                                run->cancellable, on_submitted, submission);
    }

  if (run->running == 0)
    g_main_loop_quit (run->loop);
}

/* The queue is at its max_pending and its policy says pause_agent: the
 * workflow holds new inputs back until reviewers drain it. */
static void
on_queue_full (VdWorkflow *workflow,
               const char *queue,
               guint64     pending,
               guint       limit,
               gpointer    user_data)
{
  g_autofree char *text = vd_backpressure_describe_pause (queue, pending, limit);
  g_autofree char *escaped = vd_cli_escape_line (text);

  printf ("%s\n", escaped);
  fflush (stdout);
}

/* Explicit task ids must be new: checked before anything runs. */
static gboolean
check_new_ids (VdStore     *store,
               Run         *run,
               GError     **error)
{
  for (guint i = 0; i < run->inputs->len; i++)
    {
      VdTaskInput *input = g_ptr_array_index (run->inputs, i);
      g_autoptr(VdItem) item = NULL;
      g_autoptr(GError) local_error = NULL;

      if (input->task_id == NULL)
        continue;

      item = vd_store_get_item (store, run->queue, input->task_id, &local_error);
      if (item != NULL)
        {
          g_set_error (error, VD_WORKFLOW_ERROR, VD_WORKFLOW_ERROR_EXISTS,
                       "%s:%u: task_id: “%s” already exists in queue “%s”",
                       run->file_name, input->line, input->task_id, run->queue);
          return FALSE;
        }
      if (!g_error_matches (local_error, VD_STORE_ERROR, VD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

/* The policy of a run: the one given (remembered for the queue from now
 * on), else the one remembered for the queue, else the one that queues
 * every output for review. Sets @description to the end of the summary. */
static VdPolicy *
choose_run_policy (VdStore     *store,
                   const char  *queue,
                   VdPolicy    *chosen,
                   char       **description,
                   GError     **error)
{
  g_autoptr(VdPolicy) policy = NULL;
  g_autofree char *json = NULL;
  g_autofree char *source = NULL;
  g_autofree char *escaped_source = NULL;
  g_autofree char *escaped_queue = vd_cli_escape_line (queue);

  if (chosen != NULL)
    {
      json = vd_policy_to_data (chosen);
      if (!vd_store_set_queue_policy (store, queue, json, vd_policy_get_source (chosen), error))
        return NULL;

      escaped_source = vd_cli_escape_line (vd_policy_get_source (chosen));
      /* TRANSLATORS: %s is the policy file */
      *description = g_strdup_printf (_("policy: %s"), escaped_source);
      return g_object_ref (chosen);
    }

  if (!vd_store_get_queue_policy (store, queue, &json, &source, error))
    return NULL;

  if (json == NULL)
    {
      *description = g_strdup (_("no policy chosen: every output queued for review "
                                 "(use --policy FILE)"));
      return vd_policy_new_review_all ();
    }

  /* TRANSLATORS: names a stored policy in its load errors */
  {
    g_autofree char *label = g_strdup_printf (_("the policy remembered for queue %s"), queue);

    if (!(policy = vd_policy_new_from_data (json, -1, label, error)))
      return NULL;
  }

  escaped_source = vd_cli_escape_line (source[0] != '\0' ? source : _("(no name)"));
  /* TRANSLATORS: the first %s is a queue name, the second the policy file */
  *description = g_strdup_printf (_("policy remembered for queue %s: %s"),
                                  escaped_queue, escaped_source);
  return g_steal_pointer (&policy);
}

int
vd_cli_run (VdCliGlobals  *globals,
            int            argc,
            char         **argv)
{
  g_auto(AgentOptions) options = AGENT_OPTIONS_INIT;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdPolicy) chosen = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  g_autoptr(VdWorkflow) workflow = NULL;
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy_path = NULL;
  g_autofree char *policy_text = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *file_name = NULL;
  guint interrupt_id;
  int status = VD_CLI_EXIT_OK;
  Run run = { 0 };
  GOptionEntry entries[] = {
    ENDPOINT_ENTRIES (options),
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("The escalation policy for the agent's outputs; remembered for the queue"),
      N_("POLICY.json") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &options.concurrency,
      N_("How many requests may be at the model at once (default 4)"), N_("N") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("INPUTS.jsonl"),
                     _("Run the agent on every input, apply the policy and store the results.\n"
                       "Each line: {\"task_id\", \"task_description\", \"task_type\", "
                       "\"context\"}; task_id is optional.\n"
                       "Without --policy, the policy last chosen for the queue applies; a queue "
                       "without one has every output queued for review."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (argc != 2)
    return vd_cli_usage (globals, _("name one inputs file"));

  if (!(client = make_client (globals, &options, &status)))
    return status;
  /* No policy given means none chosen, not the built-in rules. */
  if (policy_path != NULL && !(chosen = vd_cli_load_policy (policy_path, &error)))
    return fail_redacted (error);

  file = g_file_new_for_commandline_arg (argv[1]);
  file_name = g_file_get_basename (file);
  if (!(inputs = vd_task_inputs_read_file (file, &queue, NULL, &error)))
    return fail_redacted (error);

  if (!(store = vd_cli_open_store (globals, &error)))
    return fail_redacted (error);

  run.inputs = inputs;
  run.queue = queue;
  run.file_name = file_name;
  if (!check_new_ids (store, &run, &error))
    return fail_redacted (error);
  if (!(policy = choose_run_policy (store, queue, chosen, &policy_text, &error)))
    return fail_redacted (error);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  workflow = vd_workflow_new (store, policy, client);
  g_signal_connect (workflow, "queue-full", G_CALLBACK (on_queue_full), NULL);
  run.workflow = workflow;
  run.loop = loop;
  run.cancellable = cancellable;
  run.window = 2 * vd_llm_client_get_max_concurrent (client);

  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  run_pump (&run);
  if (run.running > 0)
    g_main_loop_run (loop);
  g_source_remove (interrupt_id);

  /* TRANSLATORS: the start of the summary of a run, e.g. "8 inputs" */
  printf (g_dngettext (GETTEXT_PACKAGE, "%u input", "%u inputs", inputs->len), inputs->len);
  /* TRANSLATORS: the rest of the summary of a run */
  printf (_(": %u queued for review, %u auto-approved, %u failed (queued as error_occurred)"),
          run.queued, run.auto_approved, run.failed);
  if (run.not_stored > 0)
    printf (_(", %u not stored"), run.not_stored);
  printf ("; %s\n", policy_text);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_printerr (_("verdict-cli run: interrupted: %u of %u inputs were not stored\n"),
                  run.not_stored + (inputs->len - run.next), inputs->len);
      return VD_CLI_EXIT_FAILURE;
    }
  if (run.not_stored > 0)
    {
      g_printerr (_("verdict-cli run: %u of %u inputs were not stored\n"),
                  run.not_stored, inputs->len);
      return VD_CLI_EXIT_FAILURE;
    }
  if (run.failed > 0)
    {
      g_printerr (_("verdict-cli run: the agent failed on %u of %u inputs; they are queued "
                    "for review as error_occurred\n"), run.failed, inputs->len);
      return VD_CLI_EXIT_FAILURE;
    }

  return VD_CLI_EXIT_OK;
}

/* revise */

static void
print_revised (VdItem     *item,
               const char *policy_text)
{
  g_autofree char *queue = vd_cli_escape_line (vd_item_get_queue (item));
  g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));
  g_autofree char *outcome = describe_outcome (item);

  if (policy_text != NULL)
    /* TRANSLATORS: the last %s says which policy applied */
    printf (_("%s/%s: revision %d %s; %s\n"), queue, task_id, vd_item_get_revision (item),
            outcome, policy_text);
  else
    printf (_("%s/%s: revision %d %s\n"), queue, task_id, vd_item_get_revision (item), outcome);
}

/* The model's errors and cancellation leave the item awaiting revision;
 * the workflow's own errors name the item already. */
static void
print_revise_failure (const char   *queue,
                      const char   *task_id,
                      const GError *error)
{
  g_autofree char *full_name = queue != NULL ? g_strdup_printf ("%s/%s", queue, task_id)
                                             : g_strdup (task_id);
  g_autofree char *name = vd_cli_escape_line (full_name);
  g_autofree char *redacted = vd_llm_redact_text (error->message);
  g_autofree char *message = vd_cli_escape_line (redacted);

  if (error->domain == VD_LLM_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr (_("verdict-cli: %s: %s (still awaiting revision)\n"), name, message);
  else
    g_printerr ("verdict-cli: %s\n", message);
}

static int
revise_all (VdWorkflow   *workflow,
            const char   *queue,
            const char   *policy_text,
            GCancellable *cancellable)
{
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint n_auto = 0;
  guint n_queued = 0;
  guint n_failed = 0;

  vd_workflow_revise_all_async (workflow, queue, cancellable, on_wait_done, &wait);
  results = vd_workflow_revise_all_finish (workflow, wait_run (&wait), &error);
  if (results == NULL)
    return fail_redacted (error);

  if (results->len == 0)
    {
      printf (_("No item awaits revision\n"));
      return VD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < results->len; i++)
    {
      VdWorkflowResult *result = g_ptr_array_index (results, i);

      if (result->item == NULL)
        {
          n_failed++;
          print_revise_failure (result->queue, result->task_id, result->error);
          continue;
        }

      if (vd_item_get_status (result->item) == VD_TASK_STATUS_APPROVED)
        n_auto++;
      else
        n_queued++;
      print_revised (result->item, NULL);
    }

  /* TRANSLATORS: the summary of revise --all; the last %s says which
   * policy applied */
  printf (_("%u awaiting revision: %u revised (%u auto-approved, %u queued for review), "
            "%u failed; %s\n"), results->len, n_auto + n_queued, n_auto, n_queued, n_failed,
          policy_text);

  return n_failed > 0 ? VD_CLI_EXIT_FAILURE : VD_CLI_EXIT_OK;
}

int
vd_cli_revise (VdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_auto(AgentOptions) options = AGENT_OPTIONS_INIT;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(VdPolicy) policy = NULL;
  g_autoptr(VdPolicy) chosen = NULL;
  g_autoptr(VdLlmClient) client = NULL;
  g_autoptr(VdWorkflow) workflow = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policy_path = NULL;
  g_autofree char *policy_text = NULL;
  g_autofree char *policy_queue = NULL;
  g_autofree char *queue = NULL;
  gboolean all = FALSE;
  guint interrupt_id;
  int status = VD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue,
      N_("The queue of the task (needed when several queues have the id); with --all, "
         "only this queue"), N_("Q") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Revise every item awaiting revision"), NULL },
    ENDPOINT_ENTRIES (options),
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("The escalation policy for the new revisions; remembered for the queue (default: "
         "the queue's remembered policy, else every revision is queued for review)"),
      N_("POLICY.json") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &options.concurrency,
      N_("How many requests may be at the model at once (default 4)"), N_("N") },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("[TASK_ID | --all]"),
                     _("Run the agent on rejected items with the reviewer's feedback; each\n"
                       "new revision goes through the policy again."),
                     &argc, &argv))
    return VD_CLI_EXIT_USAGE;
  if (all && argc != 1)
    return vd_cli_usage (globals, _("give a task id or --all, not both"));
  if (!all && argc != 2)
    return vd_cli_usage (globals, _("name a task id, or give --all"));

  if (!(client = make_client (globals, &options, &status)))
    return status;
  /* No policy given means none chosen, not the built-in rules. */
  if (policy_path != NULL && !(chosen = vd_cli_load_policy (policy_path, &error)))
    return fail_redacted (error);
  if (!(store = vd_cli_open_store (globals, &error)))
    return fail_redacted (error);

  /* The queue whose remembered policy applies: the one named, or the
   * item's own. Revisions of several queues at once with no policy given
   * are all queued for review. */
  if (queue == NULL && !all)
    {
      g_autoptr(VdItem) found = vd_store_get_item (store, NULL, argv[1], NULL);

      if (found != NULL)
        policy_queue = g_strdup (vd_item_get_queue (found));
    }
  else
    {
      policy_queue = g_strdup (queue);
    }

  if (policy_queue != NULL)
    {
      if (!(policy = choose_run_policy (store, policy_queue, chosen, &policy_text, &error)))
        return fail_redacted (error);
    }
  else if (chosen != NULL)
    {
      g_autofree char *escaped_source = vd_cli_escape_line (vd_policy_get_source (chosen));

      policy = g_object_ref (chosen);
      /* TRANSLATORS: %s is the policy file */
      policy_text = g_strdup_printf (_("policy: %s"), escaped_source);
    }
  else
    {
      policy = vd_policy_new_review_all ();
      policy_text = g_strdup (_("no policy chosen: every output queued for review "
                                "(use --policy FILE)"));
    }

  workflow = vd_workflow_new (store, policy, client);
  cancellable = g_cancellable_new ();
  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt, cancellable);

  if (all)
    {
      status = revise_all (workflow, queue, policy_text, cancellable);
    }
  else
    {
      g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };

      vd_workflow_revise_async (workflow, queue, argv[1], cancellable, on_wait_done, &wait);
      item = vd_workflow_revise_finish (workflow, wait_run (&wait), &error);
      if (item != NULL)
        {
          print_revised (item, policy_text);
        }
      else
        {
          print_revise_failure (queue, argv[1], error);
          status = VD_CLI_EXIT_FAILURE;
        }
    }

  g_source_remove (interrupt_id);
  return status;
}

/* second-opinion and assist */

/* The item the command is about, and a workflow for it. */
static int
open_item (VdCliGlobals   *globals,
           AgentOptions   *options,
           const char     *queue,
           const char     *task_id,
           VdWorkflow    **workflow,
           VdItem        **item)
{
  g_autoptr(VdLlmClient) client = NULL;
  g_autoptr(VdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = VD_CLI_EXIT_OK;

  if (!(client = make_client (globals, options, &status)))
    return status;
  if (!(store = vd_cli_open_store (globals, &error)) ||
      !(*item = vd_store_get_item (store, queue, task_id, &error)))
    return fail_redacted (error);

  *workflow = vd_workflow_new (store, NULL, client);
  return VD_CLI_EXIT_OK;
}

/* The arguments of a command about one item: TASK_ID, --queue, the
 * endpoint and --json. */
static int
parse_item_command (VdCliGlobals   *globals,
                    AgentOptions   *options,
                    char          **queue,
                    gboolean       *json,
                    const char     *summary,
                    int            *argc,
                    char         ***argv)
{
  GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, queue,
      N_("The queue of the task (needed when several queues have the id)"), N_("Q") },
    ENDPOINT_ENTRIES (*options),
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  if (!vd_cli_parse (globals, entries, _("TASK_ID"), summary, argc, argv))
    return VD_CLI_EXIT_USAGE;
  if (*argc != 2)
    return vd_cli_usage (globals, _("name one task id"));

  return VD_CLI_EXIT_OK;
}

/* The members that name the item an answer is about. */
static JsonObject *
item_object_new (VdItem *item)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "queue", vd_item_get_queue (item));
  json_object_set_string_member (object, "task_id", vd_item_get_task_id (item));
  json_object_set_int_member (object, "revision", vd_item_get_revision (item));

  return object;
}

int
vd_cli_second_opinion (VdCliGlobals  *globals,
                       int            argc,
                       char         **argv)
{
  g_auto(AgentOptions) options = AGENT_OPTIONS_INIT;
  g_auto(Wait) wait = { NULL, NULL };
  g_autoptr(VdWorkflow) workflow = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *reasoning = NULL;
  gboolean json = FALSE;
  double confidence = 0.0;
  int status;

  status = parse_item_command (globals, &options, &queue, &json,
                               _("Ask the confidence evaluator for a second opinion on an "
                                 "item's output.\nThe answer is recorded in the audit trail."),
                               &argc, &argv);
  if (status != VD_CLI_EXIT_OK)
    return status;

  status = open_item (globals, &options, queue, argv[1], &workflow, &item);
  if (status != VD_CLI_EXIT_OK)
    return status;

  wait.loop = g_main_loop_new (NULL, FALSE);
  vd_workflow_second_opinion_async (workflow, item, NULL, on_wait_done, &wait);
  if (!vd_workflow_second_opinion_finish (workflow, wait_run (&wait), &confidence, &reasoning,
                                          &error))
    return fail_redacted (error);

  if (json)
    {
      g_autoptr(JsonObject) object = item_object_new (item);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_double_member (object, "confidence", confidence);
      json_object_set_double_member (object, "agent_confidence", vd_item_get_confidence (item));
      json_object_set_string_member (object, "reasoning", reasoning);
      json_node_set_object (node, object);
      vd_cli_print_json (node);
    }
  else
    {
      g_autofree char *queue_name = vd_cli_escape_line (vd_item_get_queue (item));
      g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));

      printf (_("%s/%s (revision %d): second opinion %.2f, the agent's own %.2f\n"),
              queue_name, task_id, vd_item_get_revision (item),
              confidence, vd_item_get_confidence (item));
      /* The model's words, which may quote the item. */
      if (reasoning[0] != '\0')
        {
          g_autofree char *text = vd_cli_escape_block (reasoning);

          printf ("%s\n", text);
        }
    }

  return VD_CLI_EXIT_OK;
}

static void
print_list (const char  *title,
            char       **texts)
{
  printf ("%s\n", title);
  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *text = vd_cli_escape_line (texts[i]);

      printf ("  - %s\n", text);
    }
}

static JsonArray *
strv_to_array (char **texts)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; texts[i] != NULL; i++)
    json_array_add_string_element (array, texts[i]);

  return array;
}

int
vd_cli_assist (VdCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_auto(AgentOptions) options = AGENT_OPTIONS_INIT;
  g_auto(Wait) wait = { NULL, NULL };
  g_autoptr(VdWorkflow) workflow = NULL;
  g_autoptr(VdItem) item = NULL;
  g_autoptr(VdDecisionSupport) support = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *queue = NULL;
  gboolean json = FALSE;
  int status;

  status = parse_item_command (globals, &options, &queue, &json,
                               _("Ask decision support about an item: options, analysis, "
                                 "risks and a\nrecommendation. The decision stays yours; the "
                                 "answer is audited."),
                               &argc, &argv);
  if (status != VD_CLI_EXIT_OK)
    return status;

  status = open_item (globals, &options, queue, argv[1], &workflow, &item);
  if (status != VD_CLI_EXIT_OK)
    return status;

  wait.loop = g_main_loop_new (NULL, FALSE);
  vd_workflow_assist_async (workflow, item, NULL, on_wait_done, &wait);
  if (!(support = vd_workflow_assist_finish (workflow, wait_run (&wait), &error)))
    return fail_redacted (error);

  if (json)
    {
      g_autoptr(JsonObject) object = item_object_new (item);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_array_member (object, "options", strv_to_array (support->options));
      json_object_set_string_member (object, "analysis", support->analysis);
      json_object_set_string_member (object, "recommendation", support->recommendation);
      json_object_set_double_member (object, "confidence", support->confidence);
      json_object_set_array_member (object, "risks", strv_to_array (support->risks));
      json_object_set_array_member (object, "considerations",
                                    strv_to_array (support->considerations));
      json_node_set_object (node, object);
      vd_cli_print_json (node);
      return VD_CLI_EXIT_OK;
    }

  {
    g_autofree char *queue_name = vd_cli_escape_line (vd_item_get_queue (item));
    g_autofree char *task_id = vd_cli_escape_line (vd_item_get_task_id (item));
    g_autofree char *recommendation = vd_cli_escape_line (support->recommendation);
    g_autofree char *analysis = vd_cli_escape_block (support->analysis);

    printf (_("%s/%s (revision %d)\n"), queue_name, task_id, vd_item_get_revision (item));
    printf (_("Recommendation: %s\n"), recommendation);
    printf (_("Confidence: %.2f\n"), support->confidence);
    print_list (_("Options:"), support->options);
    printf (_("Analysis: %s\n"), analysis);
  }
  print_list (_("Risks:"), support->risks);
  print_list (_("Considerations:"), support->considerations);

  return VD_CLI_EXIT_OK;
}
