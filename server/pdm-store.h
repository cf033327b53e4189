/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-record.h"
#include "pdm-repository.h"

G_BEGIN_DECLS

/* Pull pages hold at most this many changes, and this many when the
 * client names no limit. */
#define PDM_STORE_PULL_MAX     100000
#define PDM_STORE_PULL_DEFAULT 5000

#define PDM_STORE_ERROR (pdm_store_error_quark ())

typedef enum
{
  PDM_STORE_ERROR_ENROLLMENT_REFUSED, /* unknown, used or expired code */
  PDM_STORE_ERROR_UNAUTHORIZED,       /* unknown or revoked token */
  PDM_STORE_ERROR_UNKNOWN_DEVICE,     /* no device with that id */
  PDM_STORE_ERROR_UNKNOWN_KELURAHAN,  /* not a kelurahan of the city */
} PdmStoreError;

GQuark pdm_store_error_quark (void);

/* An enrolled device. Times are milliseconds since 1970, 0 for never. */
typedef struct
{
  char     *id;              /* 16 hex digits, the end of its stamps */
  char     *name;
  char     *kelurahan_code;  /* its scope; NULL for the whole city */
  gint64    created;
  gint64    last_push;
  gint64    last_pull;
  gboolean  revoked;
} PdmDevice;

/* One mutation of a push: the fields one write of a device changed, with
 * the stamps the server made from its id and the device id. A checker
 * (PdmServer, then the store) sets @refusal, a reason code of the protocol,
 * and @message, a translated sentence, on a mutation it will not apply. */
typedef struct
{
  guint64     id;
  char       *table;
  char       *row_id;
  GPtrArray  *changes;   /* (element-type PdmChange) */
  const char *refusal;
  char       *message;
  /* Set by the store: the id was not above the device's last applied one,
   * so this is a retry of a mutation already handled. */
  gboolean    skipped;
} PdmMutation;

/* A pull answer. @reset asks the device to start again from cursor 0; the
 * rest is then empty. @removed holds PdmChanges with only table and row_id. */
typedef struct
{
  gboolean   reset;
  gint64     cursor;
  gboolean   more;
  GPtrArray *changes;    /* (element-type PdmChange) */
  GPtrArray *removed;    /* (element-type PdmChange) */
} PdmPullPage;

typedef struct
{
  guint64 n_records[PDM_N_TABLES];  /* not deleted */
  guint   n_devices;
  guint   n_revoked;
  guint   n_pending_codes;          /* neither used nor expired */
  gint64  last_seq;
  gint64  horizon;
} PdmStoreStatus;

#define PDM_TYPE_DEVICE    (pdm_device_get_type ())
#define PDM_TYPE_MUTATION  (pdm_mutation_get_type ())
#define PDM_TYPE_PULL_PAGE (pdm_pull_page_get_type ())

GType        pdm_device_get_type      (void) G_GNUC_CONST;
PdmDevice   *pdm_device_copy          (const PdmDevice   *device);
void         pdm_device_free          (PdmDevice         *device);

GType        pdm_mutation_get_type    (void) G_GNUC_CONST;
PdmMutation *pdm_mutation_new         (guint64            id,
                                       const char        *table,
                                       const char        *row_id);
PdmMutation *pdm_mutation_copy        (const PdmMutation *mutation);
void         pdm_mutation_free        (PdmMutation       *mutation);
void         pdm_mutation_refuse      (PdmMutation       *mutation,
                                       const char        *reason,
                                       const char        *message);

GType        pdm_pull_page_get_type   (void) G_GNUC_CONST;
PdmPullPage *pdm_pull_page_new        (void);
PdmPullPage *pdm_pull_page_copy       (const PdmPullPage *page);
void         pdm_pull_page_free       (PdmPullPage       *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmDevice, pdm_device_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmMutation, pdm_mutation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmPullPage, pdm_pull_page_free)

#define PDM_TYPE_STORE (pdm_store_get_type ())

G_DECLARE_INTERFACE (PdmStore, pdm_store, PDM, STORE, GObject)

/* Where the server keeps its data. The protocol code (PdmServer) and the
 * commands speak only to this interface, so that a PostgreSQL store can
 * stand beside the SQLite one without the HTTP side changing.
 *
 * Calls are synchronous: each one is a short transaction, and the caller
 * decides whether it runs on the main context or in a worker thread. Errors
 * are PDM_STORE_ERROR for what a client or an administrator caused, and
 * PDM_ERROR_DATABASE when the store itself failed. */
struct _PdmStoreInterface
{
  GTypeInterface parent_iface;

  const char *(*get_server_id)           (PdmStore          *self);
  gboolean    (*check)                   (PdmStore          *self,
                                          GError           **error);
  char       *(*create_enrollment_code)  (PdmStore          *self,
                                          const char        *kelurahan_code,
                                          gint64             expires,
                                          GError           **error);
  char       *(*redeem_enrollment)       (PdmStore          *self,
                                          const char        *code,
                                          const char        *device_id,
                                          const char        *device_name,
                                          gint64             now,
                                          PdmDevice        **out_device,
                                          GError           **error);
  PdmDevice  *(*authenticate)            (PdmStore          *self,
                                          const char        *token,
                                          GError           **error);
  gboolean    (*revoke)                  (PdmStore          *self,
                                          const char        *device_id,
                                          GError           **error);
  GPtrArray  *(*list_devices)            (PdmStore          *self,
                                          GError           **error);
  gboolean    (*push)                    (PdmStore          *self,
                                          const PdmDevice   *device,
                                          GPtrArray         *mutations,
                                          gint64             now,
                                          guint64           *out_applied_through,
                                          GError           **error);
  PdmPullPage *(*pull)                   (PdmStore          *self,
                                          const PdmDevice   *device,
                                          gint64             cursor,
                                          guint              limit,
                                          gint64             now,
                                          GError           **error);
  gboolean    (*get_status)              (PdmStore          *self,
                                          PdmStoreStatus    *out_status,
                                          GError           **error);
  GPtrArray  *(*list_forms)              (PdmStore          *self,
                                          const char        *form_key,
                                          gint64             version,
                                          GError           **error);
};

const char  *pdm_store_get_server_id          (PdmStore          *self);
gboolean     pdm_store_check                  (PdmStore          *self,
                                               GError           **error);
char        *pdm_store_create_enrollment_code (PdmStore          *self,
                                               const char        *kelurahan_code,
                                               gint64             expires,
                                               GError           **error);
char        *pdm_store_redeem_enrollment      (PdmStore          *self,
                                               const char        *code,
                                               const char        *device_id,
                                               const char        *device_name,
                                               gint64             now,
                                               PdmDevice        **out_device,
                                               GError           **error);
PdmDevice   *pdm_store_authenticate           (PdmStore          *self,
                                               const char        *token,
                                               GError           **error);
gboolean     pdm_store_revoke                 (PdmStore          *self,
                                               const char        *device_id,
                                               GError           **error);
GPtrArray   *pdm_store_list_devices           (PdmStore          *self,
                                               GError           **error);
gboolean     pdm_store_push                   (PdmStore          *self,
                                               const PdmDevice   *device,
                                               GPtrArray         *mutations,
                                               gint64             now,
                                               guint64           *out_applied_through,
                                               GError           **error);
PdmPullPage *pdm_store_pull                   (PdmStore          *self,
                                               const PdmDevice   *device,
                                               gint64             cursor,
                                               guint              limit,
                                               gint64             now,
                                               GError           **error);
gboolean     pdm_store_get_status             (PdmStore          *self,
                                               PdmStoreStatus    *out_status,
                                               GError           **error);
GPtrArray   *pdm_store_list_forms             (PdmStore          *self,
                                               const char        *form_key,
                                               gint64             version,
                                               GError           **error);

/* Helpers every store shares. */
char        *pdm_store_hash_token             (const char        *token);
char        *pdm_store_normalize_code         (const char        *code);
char        *pdm_store_format_code            (const char        *code);
char        *pdm_store_generate_code          (GError           **error);
char        *pdm_store_generate_token         (GError           **error);

G_END_DECLS
