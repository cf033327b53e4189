/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-database.h"
#include "pdm-repository.h"

G_BEGIN_DECLS

/* A record whose writes the server refused, kept until someone fixes or
 * drops them. */
typedef struct
{
  char   *table;
  char   *row_id;
  GStrv   fields;   /* the refused fields */
  char   *reason;   /* the protocol's machine-readable reason, of the last refusal */
  char   *message;  /* the server's words, may be NULL */
  gint64  time;     /* Unix time of the last refusal */
} PdmQuarantineItem;

/* One sync or enrollment run. */
typedef struct
{
  gint64  time;         /* Unix time it started */
  char   *kind;         /* "sync" or "enroll" */
  guint   pushed;
  guint   refused;
  guint   pulled;
  guint   removed;
  gint64  duration_ms;
  char   *error;        /* NULL for a good run */
} PdmSyncHistoryItem;

PdmQuarantineItem *pdm_sync_log_copy_quarantine_item (const PdmQuarantineItem *item);
void       pdm_quarantine_item_free    (PdmQuarantineItem  *item);
void       pdm_sync_history_item_free  (PdmSyncHistoryItem *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmQuarantineItem, pdm_quarantine_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmSyncHistoryItem, pdm_sync_history_item_free)

GPtrArray *pdm_sync_log_list_quarantine (PdmDatabase              *database,
                                         GError                  **error);
guint      pdm_sync_log_count_quarantine (PdmDatabase             *database);
gboolean   pdm_sync_log_drop_quarantine (PdmDatabase              *database,
                                         const PdmQuarantineItem  *item,
                                         GError                  **error);
gboolean   pdm_sync_log_fix_quarantine  (PdmRepository            *repository,
                                         const PdmQuarantineItem  *item,
                                         GError                  **error);
GPtrArray *pdm_sync_log_list_history    (PdmDatabase              *database,
                                         guint                     limit,
                                         GError                  **error);

G_END_DECLS
