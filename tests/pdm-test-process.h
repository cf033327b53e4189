/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A pendamping-server process whose every exit, output and error the
 * integration tests inspect; all waits on it are bounded. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *stdout_stream;
  char             *data_dir;
  gboolean          owns_data_dir;
  guint16           port;
  char             *url;
} PdmTestProcess;

#define PDM_TEST_TIMEOUT_MS 10000

gboolean        pdm_test_flag_is_set     (gpointer             flag);

PdmTestProcess *pdm_test_process_serve   (const char          *data_dir);
int             pdm_test_process_signal  (PdmTestProcess      *self,
                                          int                  signum,
                                          char               **out_stdout,
                                          char               **out_stderr);
void            pdm_test_process_free    (PdmTestProcess      *self);

int             pdm_test_process_run     (const char * const  *args,
                                          char               **out_stdout,
                                          char               **out_stderr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmTestProcess, pdm_test_process_free)

G_END_DECLS
