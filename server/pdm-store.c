/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>

#include "pdm-store.h"

/* Enrollment codes are read aloud and typed from paper: no 0/O, 1/I/L. */
#define CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define CODE_LENGTH   8
#define TOKEN_PREFIX  "pdm1_"
#define TOKEN_BYTES   32

G_DEFINE_QUARK (pdm-store-error-quark, pdm_store_error)

G_DEFINE_BOXED_TYPE (PdmDevice, pdm_device, pdm_device_copy, pdm_device_free)
G_DEFINE_BOXED_TYPE (PdmMutation, pdm_mutation, pdm_mutation_copy, pdm_mutation_free)
G_DEFINE_BOXED_TYPE (PdmPullPage, pdm_pull_page, pdm_pull_page_copy, pdm_pull_page_free)

PdmDevice *
pdm_device_copy (const PdmDevice *device)
{
  PdmDevice *copy;

  g_return_val_if_fail (device != NULL, NULL);

  copy = g_memdup2 (device, sizeof *device);
  copy->id = g_strdup (device->id);
  copy->name = g_strdup (device->name);
  copy->kelurahan_code = g_strdup (device->kelurahan_code);

  return copy;
}

void
pdm_device_free (PdmDevice *device)
{
  if (device == NULL)
    return;

  g_free (device->id);
  g_free (device->name);
  g_free (device->kelurahan_code);
  g_free (device);
}

PdmMutation *
pdm_mutation_new (guint64     id,
                  const char *table,
                  const char *row_id)
{
  PdmMutation *mutation = g_new0 (PdmMutation, 1);

  mutation->id = id;
  mutation->table = g_strdup (table);
  mutation->row_id = g_strdup (row_id);
  mutation->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_change_free);

  return mutation;
}

PdmMutation *
pdm_mutation_copy (const PdmMutation *mutation)
{
  PdmMutation *copy;

  g_return_val_if_fail (mutation != NULL, NULL);

  copy = pdm_mutation_new (mutation->id, mutation->table, mutation->row_id);
  for (guint i = 0; i < mutation->changes->len; i++)
    g_ptr_array_add (copy->changes, pdm_change_copy (g_ptr_array_index (mutation->changes, i)));
  copy->refusal = mutation->refusal;
  copy->message = g_strdup (mutation->message);
  copy->skipped = mutation->skipped;

  return copy;
}

void
pdm_mutation_free (PdmMutation *mutation)
{
  if (mutation == NULL)
    return;

  g_free (mutation->table);
  g_free (mutation->row_id);
  g_ptr_array_unref (mutation->changes);
  g_free (mutation->message);
  g_free (mutation);
}

/* The first refusal stands: it is the one the device is told about. */
void
pdm_mutation_refuse (PdmMutation *mutation,
                     const char  *reason,
                     const char  *message)
{
  g_return_if_fail (mutation != NULL);
  g_return_if_fail (reason != NULL);

  if (mutation->refusal != NULL)
    return;

  mutation->refusal = g_intern_string (reason);
  mutation->message = g_strdup (message);
}

PdmPullPage *
pdm_pull_page_new (void)
{
  PdmPullPage *page = g_new0 (PdmPullPage, 1);

  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_change_free);
  page->removed = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_change_free);

  return page;
}

PdmPullPage *
pdm_pull_page_copy (const PdmPullPage *page)
{
  PdmPullPage *copy;

  g_return_val_if_fail (page != NULL, NULL);

  copy = pdm_pull_page_new ();
  copy->reset = page->reset;
  copy->cursor = page->cursor;
  copy->more = page->more;
  for (guint i = 0; i < page->changes->len; i++)
    g_ptr_array_add (copy->changes, pdm_change_copy (g_ptr_array_index (page->changes, i)));
  for (guint i = 0; i < page->removed->len; i++)
    g_ptr_array_add (copy->removed, pdm_change_copy (g_ptr_array_index (page->removed, i)));

  return copy;
}

void
pdm_pull_page_free (PdmPullPage *page)
{
  if (page == NULL)
    return;

  g_ptr_array_unref (page->changes);
  g_ptr_array_unref (page->removed);
  g_free (page);
}

G_DEFINE_INTERFACE (PdmStore, pdm_store, G_TYPE_OBJECT)

static void
pdm_store_default_init (PdmStoreInterface *iface)
{
}

/**
 * pdm_store_get_server_id:
 * @self: a #PdmStore
 *
 * Returns: the identity of this server's data, made once when the store was
 *   created; clients use it to notice that they now talk to another server.
 */
const char *
pdm_store_get_server_id (PdmStore *self)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);

  return PDM_STORE_GET_IFACE (self)->get_server_id (self);
}

/**
 * pdm_store_check:
 * @self: a #PdmStore
 * @error: return location for a #GError
 *
 * Proves that the store still answers queries, for the health endpoint.
 *
 * Returns: %TRUE when the store works
 */
gboolean
pdm_store_check (PdmStore  *self,
                 GError   **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PDM_STORE_GET_IFACE (self)->check (self, error);
}

/**
 * pdm_store_create_enrollment_code:
 * @self: a #PdmStore
 * @kelurahan_code: (nullable): the scope of the device that will redeem the
 *   code, %NULL for a city-wide (Dinas) device
 * @expires: when the code stops working, in milliseconds since 1970
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new one-time code, normalised (8 characters
 *   without the dash; pdm_store_format_code() groups it for people)
 */
char *
pdm_store_create_enrollment_code (PdmStore    *self,
                                  const char  *kelurahan_code,
                                  gint64       expires,
                                  GError     **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PDM_STORE_GET_IFACE (self)->create_enrollment_code (self, kelurahan_code, expires,
                                                            error);
}

/**
 * pdm_store_redeem_enrollment:
 * @self: a #PdmStore
 * @code: the code as the person typed it (case and dashes do not matter)
 * @device_id: the 16 hex digits the device's stamps end with
 * @device_name: the name the device gives itself
 * @now: the time, in milliseconds since 1970
 * @out_device: (out) (optional): the enrolled device
 * @error: return location for a #GError
 *
 * Spends @code on @device_id. A device that enrolls again (after a revoke,
 * say) keeps its id and its record of applied mutations.
 *
 * Returns: (transfer full): the device's new token, shown only this once;
 *   %NULL with %PDM_STORE_ERROR_ENROLLMENT_REFUSED for an unknown, used or
 *   expired code
 */
char *
pdm_store_redeem_enrollment (PdmStore    *self,
                             const char  *code,
                             const char  *device_id,
                             const char  *device_name,
                             gint64       now,
                             PdmDevice  **out_device,
                             GError     **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (device_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PDM_STORE_GET_IFACE (self)->redeem_enrollment (self, code, device_id, device_name,
                                                       now, out_device, error);
}

/**
 * pdm_store_authenticate:
 * @self: a #PdmStore
 * @token: a bearer token
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the device that holds @token; %NULL with
 *   %PDM_STORE_ERROR_UNAUTHORIZED when none does or it was revoked
 */
PdmDevice *
pdm_store_authenticate (PdmStore    *self,
                        const char  *token,
                        GError     **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PDM_STORE_GET_IFACE (self)->authenticate (self, token, error);
}

/**
 * pdm_store_revoke:
 * @self: a #PdmStore
 * @device_id: the device to shut out
 * @error: return location for a #GError
 *
 * From now on the device's token is refused; its writes stay.
 *
 * Returns: %TRUE on success; %PDM_STORE_ERROR_UNKNOWN_DEVICE when no such device
 */
gboolean
pdm_store_revoke (PdmStore    *self,
                  const char  *device_id,
                  GError     **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PDM_STORE_GET_IFACE (self)->revoke (self, device_id, error);
}

/**
 * pdm_store_list_devices:
 * @self: a #PdmStore
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type PdmDevice): every enrolled
 *   device, revoked ones included, oldest first
 */
GPtrArray *
pdm_store_list_devices (PdmStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PDM_STORE_GET_IFACE (self)->list_devices (self, error);
}

/**
 * pdm_store_push:
 * @self: a #PdmStore
 * @device: the authenticated device
 * @mutations: (element-type PdmMutation): the batch, in the device's order;
 *   refusals already set are kept
 * @now: the time, in milliseconds since 1970
 * @out_applied_through: (out): the device's highest applied mutation id
 *   after this batch (0 when none ever was)
 * @error: return location for a #GError
 *
 * Applies the batch in one transaction that also records the device's
 * highest mutation id: a mutation whose id is not above it is skipped. A
 * mutation the store will not accept gets its refusal set and is left out;
 * the rest goes on. Whatever changed becomes visible to pull.
 *
 * Returns: %TRUE when the batch was committed; on %FALSE nothing was applied
 */
gboolean
pdm_store_push (PdmStore         *self,
                const PdmDevice  *device,
                GPtrArray        *mutations,
                gint64            now,
                guint64          *out_applied_through,
                GError          **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (device != NULL, FALSE);
  g_return_val_if_fail (mutations != NULL, FALSE);
  g_return_val_if_fail (out_applied_through != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PDM_STORE_GET_IFACE (self)->push (self, device, mutations, now, out_applied_through,
                                          error);
}

/**
 * pdm_store_pull:
 * @self: a #PdmStore
 * @device: the authenticated device
 * @cursor: the cursor of the device's last page, 0 for none
 * @limit: the most changes to return, at most %PDM_STORE_PULL_MAX
 * @now: the time, in milliseconds since 1970
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the next page of changes in @device's scope
 */
PdmPullPage *
pdm_store_pull (PdmStore         *self,
                const PdmDevice  *device,
                gint64            cursor,
                guint             limit,
                gint64            now,
                GError          **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);
  g_return_val_if_fail (device != NULL, NULL);
  g_return_val_if_fail (limit > 0 && limit <= PDM_STORE_PULL_MAX, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PDM_STORE_GET_IFACE (self)->pull (self, device, cursor, limit, now, error);
}

/**
 * pdm_store_get_status:
 * @self: a #PdmStore
 * @out_status: (out caller-allocates): the counts
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
pdm_store_get_status (PdmStore        *self,
                      PdmStoreStatus  *out_status,
                      GError         **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_status != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PDM_STORE_GET_IFACE (self)->get_status (self, out_status, error);
}

/**
 * pdm_store_list_forms:
 * @self: a #PdmStore
 * @form_key: (nullable): only the versions of this form, such as
 *   "psm-basic-pretest"; %NULL for every form
 * @version: only this version of @form_key, or 0 for every version
 * @error: return location for a #GError
 *
 * The evaluation forms the server hands out (not deleted), the same
 * records pull sends to devices.
 *
 * Returns: (transfer container) (element-type PdmRecord): the
 *   %PDM_TABLE_FORM records, by form key, then version from the oldest;
 *   empty when none matches
 */
GPtrArray *
pdm_store_list_forms (PdmStore    *self,
                      const char  *form_key,
                      gint64       version,
                      GError     **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);
  g_return_val_if_fail (version >= 0, NULL);
  g_return_val_if_fail (version == 0 || form_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PDM_STORE_GET_IFACE (self)->list_forms (self, form_key, version, error);
}

/* Tokens are long random strings, so a plain hash (no salt, no stretching)
 * is enough to make a stolen database useless for logging in. */
char *
pdm_store_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* "k7qx-2mdp", "K7QX 2MDP" and "K7QX2MDP" are one code; %NULL when @code
 * cannot be one. */
char *
pdm_store_normalize_code (const char *code)
{
  g_autoptr(GString) normal = g_string_new (NULL);

  g_return_val_if_fail (code != NULL, NULL);

  for (const char *p = code; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || g_ascii_isspace (c))
        continue;
      if (strchr (CODE_ALPHABET, c) == NULL)
        return NULL;
      g_string_append_c (normal, c);
    }

  if (normal->len != CODE_LENGTH)
    return NULL;

  return g_string_free (g_steal_pointer (&normal), FALSE);
}

/* "K7QX2MDP" → "K7QX-2MDP", for reading aloud. */
char *
pdm_store_format_code (const char *code)
{
  g_return_val_if_fail (code != NULL && strlen (code) == CODE_LENGTH, NULL);

  return g_strdup_printf ("%.4s-%.4s", code, code + 4);
}

static gboolean
make_random (guint8  *buffer,
             gsize    size,
             GError **error)
{
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = getrandom (buffer + done, size - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The system gave no random numbers: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      done += n;
    }

  return TRUE;
}

char *
pdm_store_generate_code (GError **error)
{
  const gsize n_symbols = sizeof CODE_ALPHABET - 1;
  char code[CODE_LENGTH + 1] = { 0 };
  guint filled = 0;

  while (filled < CODE_LENGTH)
    {
      guint8 bytes[16];

      if (!make_random (bytes, sizeof bytes, error))
        return NULL;

      /* Rejection keeps every symbol equally likely. */
      for (guint i = 0; i < sizeof bytes && filled < CODE_LENGTH; i++)
        if (bytes[i] < 256 - 256 % n_symbols)
          code[filled++] = CODE_ALPHABET[bytes[i] % n_symbols];
    }

  return g_strdup (code);
}

char *
pdm_store_generate_token (GError **error)
{
  guint8 bytes[TOKEN_BYTES];
  GString *token;

  if (!make_random (bytes, sizeof bytes, error))
    return NULL;

  token = g_string_new (TOKEN_PREFIX);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);

  return g_string_free (token, FALSE);
}
