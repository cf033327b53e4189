/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-test-process"

#include "config.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include "pdm-test-process.h"
#include "pdm-test-util.h"

#define LISTENING_PREFIX "Listening on http://127.0.0.1:"

/* A condition for pdm_test_wait_for(): @flag points to a gboolean that a
 * callback sets. */
gboolean
pdm_test_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static gboolean
wait_for_flag (gboolean *flag)
{
  return pdm_test_wait_for (NULL, pdm_test_flag_is_set, flag, PDM_TEST_TIMEOUT_MS);
}

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  /* A failed assertion aborts the test before it can stop its server; the
   * kernel then stops the server rather than leaving it listening. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static GSubprocess *
spawn_server (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("PDM_SERVER_PATH");
  GSubprocess *process;

  g_assert_nonnull (path);

  g_ptr_array_add (argv, (char *) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* The assertions read the English source messages. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

/* Only for a process that has exited, whose pipe therefore ends. */
static char *
read_to_end (GInputStream *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autoptr(GBytes) bytes = g_input_stream_read_bytes (stream, 4096, NULL, &error);

      g_assert_no_error (error);
      if (g_bytes_get_size (bytes) == 0)
        break;
      g_string_append_len (text, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_wait_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
wait_for_exit (GSubprocess *process)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, on_wait_cb, &done);

  return wait_for_flag (&done);
}

typedef struct
{
  gboolean  done;
  char     *line;
} LineRead;

static void
on_line_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                          result, NULL, NULL);
  read->done = TRUE;
}

/**
 * pdm_test_process_serve:
 * @data_dir: (nullable): the server's data directory; %NULL for a fresh one
 *   that pdm_test_process_free() removes
 *
 * Starts `pendamping-server serve` on port 0 of 127.0.0.1 and waits for the
 * line that tells the port it chose.
 */
PdmTestProcess *
pdm_test_process_serve (const char *data_dir)
{
  g_autoptr(PdmTestProcess) self = g_new0 (PdmTestProcess, 1);
  const char *args[] = { "serve", "--listen", "127.0.0.1:0", "--data-dir", NULL, NULL };
  LineRead read = { FALSE, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  guint64 port;

  self->owns_data_dir = data_dir == NULL;
  self->data_dir = data_dir != NULL ? g_strdup (data_dir) : pdm_test_make_tmp_dir ();
  args[4] = self->data_dir;

  self->process = spawn_server (args);
  self->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));

  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, NULL,
                                       on_line_read_cb, &read);
  wait_for_flag (&read.done);

  if (read.line == NULL || !g_str_has_prefix (read.line, LISTENING_PREFIX))
    {
      g_autofree char *err = NULL;

      g_subprocess_force_exit (self->process);
      wait_for_exit (self->process);
      err = read_to_end (g_subprocess_get_stderr_pipe (self->process));
      g_error ("The server did not start (stdout: “%s”, stderr: “%s”)",
               read.line != NULL ? read.line : "", err);
    }

  /* The line is "Listening on http://127.0.0.1:PORT/" and nothing else. */
  port_text = g_strdup (read.line + strlen (LISTENING_PREFIX));
  g_assert_true (g_str_has_suffix (port_text, "/"));
  port_text[strlen (port_text) - 1] = '\0';
  g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &port, &error);
  g_assert_no_error (error);

  self->port = port;
  self->url = g_strdup (read.line + strlen ("Listening on "));
  g_free (read.line);

  return g_steal_pointer (&self);
}

/**
 * pdm_test_process_signal:
 * @self: a running server
 * @signum: the signal to send
 * @out_stdout: (out) (optional): what the server printed after the listening line
 * @out_stderr: (out) (optional): what the server printed on stderr
 *
 * Returns: the exit status; the test fails when the server does not exit
 *   by itself within the timeout.
 */
int
pdm_test_process_signal (PdmTestProcess  *self,
                         int              signum,
                         char           **out_stdout,
                         char           **out_stderr)
{
  g_subprocess_send_signal (self->process, signum);
  g_assert_true (wait_for_exit (self->process));
  g_assert_true (g_subprocess_get_if_exited (self->process));

  if (out_stdout != NULL)
    *out_stdout = read_to_end (G_INPUT_STREAM (self->stdout_stream));
  if (out_stderr != NULL)
    *out_stderr = read_to_end (g_subprocess_get_stderr_pipe (self->process));

  return g_subprocess_get_exit_status (self->process);
}

void
pdm_test_process_free (PdmTestProcess *self)
{
  if (self == NULL)
    return;

  /* The identifier is cleared once the process has been reaped. */
  if (self->process != NULL && g_subprocess_get_identifier (self->process) != NULL)
    {
      g_subprocess_force_exit (self->process);
      wait_for_exit (self->process);
    }

  if (self->owns_data_dir)
    pdm_test_remove_tree (self->data_dir);

  g_clear_object (&self->stdout_stream);
  g_clear_object (&self->process);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self);
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
} Communicated;

static void
on_communicated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Communicated *communicated = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &communicated->out, &communicated->err, &error);
  g_assert_no_error (error);
  communicated->done = TRUE;
}

/**
 * pdm_test_process_run:
 * @args: the arguments after the program name
 * @out_stdout: (out) (optional): all of its stdout
 * @out_stderr: (out) (optional): all of its stderr
 *
 * Runs pendamping-server to its end, for commands that are expected to
 * exit by themselves.
 *
 * Returns: the exit status
 */
int
pdm_test_process_run (const char * const  *args,
                      char               **out_stdout,
                      char               **out_stderr)
{
  g_autoptr(GSubprocess) process = spawn_server (args);
  Communicated communicated = { FALSE, NULL, NULL };

  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated_cb, &communicated);
  if (!wait_for_flag (&communicated.done))
    {
      g_subprocess_force_exit (process);
      g_error ("pendamping-server %s did not exit within %d ms", args[0], PDM_TEST_TIMEOUT_MS);
    }

  g_assert_true (g_subprocess_get_if_exited (process));

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&communicated.out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&communicated.err);
  g_free (communicated.out);
  g_free (communicated.err);

  return g_subprocess_get_exit_status (process);
}
