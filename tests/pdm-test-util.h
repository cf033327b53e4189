/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "pdm-repository.h"

G_BEGIN_DECLS

/* A database file of its own in a fresh folder, with its repository: the
 * fixture of the core tests. */
typedef struct
{
  char          *dir;
  char          *path;
  PdmDatabase   *database;
  PdmRepository *repository;
} PdmTestReplica;

void         pdm_test_use_indonesian   (void);
char        *pdm_test_make_tmp_dir     (void);
void         pdm_test_remove_tree      (const char     *path);

GSubprocess *pdm_test_server_start     (const char     *data_dir,
                                        char          **out_url);
void         pdm_test_server_stop      (GSubprocess    *server);
char        *pdm_test_closed_port_url  (void);

gboolean     pdm_test_wait_for         (GMainContext   *context,
                                        gboolean      (*condition) (gpointer data),
                                        gpointer        data,
                                        guint           timeout_ms);

gint64       pdm_test_query_int        (sqlite3        *db,
                                        const char     *sql);
char        *pdm_test_query_text       (sqlite3        *db,
                                        const char     *sql);

void         pdm_test_replica_open      (PdmTestReplica *replica);
void         pdm_test_replica_close     (PdmTestReplica *replica);
void         pdm_test_replica_set_up    (PdmTestReplica *replica,
                                        gconstpointer   data);
void         pdm_test_replica_tear_down (PdmTestReplica *replica,
                                        gconstpointer   data);

guint        pdm_test_send_all          (PdmRepository  *from,
                                        PdmRepository  *to);

G_END_DECLS
