/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-token-store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#ifdef HAVE_LIBSECRET
# include <libsecret/secret.h>
#endif

#include "pdm-error.h"
#include "pdm-token-store.h"

/*
 * Where the device token lives. The user's keyring (libsecret) where the
 * build has it and a keyring answers; otherwise a file only its owner can
 * read beside the database, since a kelurahan PC without a desktop keyring
 * must still sync. Calls block: the sync engine makes them in its worker.
 *
 * PENDAMPING_TOKEN_STORE=file skips the keyring; the tests set it so that
 * they never touch the keyring of the person running them.
 */

#define TOKEN_FILE_NAME "token.txt"

typedef enum
{
  BACKEND_KEYRING,
  BACKEND_FILE,
} Backend;

struct _PdmTokenStore
{
  GObject  parent_instance;

  char    *directory;
  char    *file_path;
  GMutex   mutex;
  Backend  backend;
};

G_DEFINE_FINAL_TYPE (PdmTokenStore, pdm_token_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#ifdef HAVE_LIBSECRET
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.pendamping.Pendamping.Token", SECRET_SCHEMA_NONE,
    {
      { "server_id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}
#endif

static gboolean
keyring_allowed (void)
{
#ifdef HAVE_LIBSECRET
  return g_strcmp0 (g_getenv ("PENDAMPING_TOKEN_STORE"), "file") != 0;
#else
  return FALSE;
#endif
}

static gboolean
file_save (PdmTokenStore  *self,
           const char     *server_id,
           const char     *token,
           GError        **error)
{
  g_autofree char *contents = g_strdup_printf ("%s\t%s\n", server_id, token);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PDM_ERROR, PDM_ERROR_FAILED,
                   _("Could not create the folder “%s”: %s"),
                   self->directory, g_strerror (saved_errno));
      return FALSE;
    }

  /* Written whole with mode 0600, so there is never a moment where the
   * token is readable by others or half written. */
  if (!g_file_set_contents_full (self->file_path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_FAILED,
                   _("Could not save the device token in “%s”: %s"),
                   self->file_path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static char *
file_load (PdmTokenStore  *self,
           const char     *server_id,
           GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  char *tab;

  if (!g_file_get_contents (self->file_path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;

      g_set_error (error, PDM_ERROR, PDM_ERROR_FAILED,
                   _("Could not read the device token in “%s”: %s"),
                   self->file_path, local_error->message);
      return NULL;
    }

  g_strstrip (contents);
  tab = strchr (contents, '\t');
  if (tab == NULL)
    return NULL;
  *tab = '\0';

  /* A token of another server is of no use to this one. */
  if (g_strcmp0 (contents, server_id) != 0)
    return NULL;

  return g_strdup (tab + 1);
}

static void
file_clear (PdmTokenStore *self)
{
  g_remove (self->file_path);
}

/**
 * pdm_token_store_save:
 * @self: a #PdmTokenStore
 * @server_id: the `server_id` the token belongs to
 * @token: the device token
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Keeps @token in the keyring if one answers, else in a 0600 file; blocks.
 */
gboolean
pdm_token_store_save (PdmTokenStore  *self,
                      const char     *server_id,
                      const char     *token,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PDM_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (server_id != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);

#ifdef HAVE_LIBSECRET
  if (keyring_allowed ())
    {
      g_autoptr(GError) keyring_error = NULL;
      g_autofree char *label = g_strdup_printf (_("Pendamping device token for server %s"),
                                                server_id);

      if (secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                      cancellable, &keyring_error,
                                      "server_id", server_id,
                                      NULL))
        {
          /* An older file copy would outlive the keyring entry otherwise. */
          file_clear (self);
          self->backend = BACKEND_KEYRING;
          return TRUE;
        }

      if (g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&keyring_error));
          return FALSE;
        }

      g_debug ("No keyring answers (%s); the token goes to a file", keyring_error->message);
    }
#endif

  self->backend = BACKEND_FILE;

  return file_save (self, server_id, token, error);
}

/**
 * pdm_token_store_load:
 * @self: a #PdmTokenStore
 * @server_id: the `server_id` the token belongs to
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Blocks.
 *
 * Returns: (transfer full) (nullable): the token, or %NULL without an error
 *   when none is kept for @server_id
 */
char *
pdm_token_store_load (PdmTokenStore  *self,
                      const char     *server_id,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) local_error = NULL;
  char *token;

  g_return_val_if_fail (PDM_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (server_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);

#ifdef HAVE_LIBSECRET
  if (keyring_allowed ())
    {
      g_autoptr(GError) keyring_error = NULL;
      char *secret = secret_password_lookup_sync (get_schema (), cancellable, &keyring_error,
                                                  "server_id", server_id,
                                                  NULL);

      if (secret != NULL)
        {
          token = g_strdup (secret);
          secret_password_free (secret);
          self->backend = BACKEND_KEYRING;
          return token;
        }

      if (g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&keyring_error));
          return NULL;
        }
    }
#endif

  /* Saved while no keyring answered, or never saved at all. */
  token = file_load (self, server_id, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (token != NULL)
    self->backend = BACKEND_FILE;

  return token;
}

/**
 * pdm_token_store_clear:
 * @self: a #PdmTokenStore
 * @server_id: the `server_id` the token belongs to
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Forgets the token of @server_id wherever it is kept; blocks.
 */
gboolean
pdm_token_store_clear (PdmTokenStore  *self,
                       const char     *server_id,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *in_file = NULL;

  g_return_val_if_fail (PDM_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (server_id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);

#ifdef HAVE_LIBSECRET
  if (keyring_allowed ())
    {
      g_autoptr(GError) keyring_error = NULL;

      secret_password_clear_sync (get_schema (), cancellable, &keyring_error,
                                  "server_id", server_id,
                                  NULL);
      if (g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&keyring_error));
          return FALSE;
        }
    }
#endif

  in_file = file_load (self, server_id, NULL);
  if (in_file != NULL)
    file_clear (self);

  return TRUE;
}

const char *
pdm_token_store_get_directory (PdmTokenStore *self)
{
  g_return_val_if_fail (PDM_IS_TOKEN_STORE (self), NULL);

  return self->directory;
}

/**
 * pdm_token_store_uses_keyring:
 * @self: a #PdmTokenStore
 *
 * Returns: %TRUE when the token was last saved in or read from the keyring
 *   (before either, when a keyring is expected)
 */
gboolean
pdm_token_store_uses_keyring (PdmTokenStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PDM_IS_TOKEN_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);

  return self->backend == BACKEND_KEYRING;
}

/**
 * pdm_token_store_get_backend_name:
 * @self: a #PdmTokenStore
 *
 * Returns: where the token is kept, for the Preferences window to say
 */
const char *
pdm_token_store_get_backend_name (PdmTokenStore *self)
{
  g_return_val_if_fail (PDM_IS_TOKEN_STORE (self), NULL);

  if (pdm_token_store_uses_keyring (self))
    return _("kept in the keyring");

  return _("kept in a file (no keyring)");
}

static void
pdm_token_store_constructed (GObject *object)
{
  PdmTokenStore *self = PDM_TOKEN_STORE (object);

  G_OBJECT_CLASS (pdm_token_store_parent_class)->constructed (object);

  self->file_path = g_build_filename (self->directory, TOKEN_FILE_NAME, NULL);
  if (keyring_allowed () && !g_file_test (self->file_path, G_FILE_TEST_EXISTS))
    self->backend = BACKEND_KEYRING;
  else
    self->backend = BACKEND_FILE;
}

static void
pdm_token_store_finalize (GObject *object)
{
  PdmTokenStore *self = PDM_TOKEN_STORE (object);

  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->file_path, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (pdm_token_store_parent_class)->finalize (object);
}

static void
pdm_token_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdmTokenStore *self = PDM_TOKEN_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_token_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdmTokenStore *self = PDM_TOKEN_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_token_store_class_init (PdmTokenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pdm_token_store_constructed;
  object_class->finalize = pdm_token_store_finalize;
  object_class->get_property = pdm_token_store_get_property;
  object_class->set_property = pdm_token_store_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdm_token_store_init (PdmTokenStore *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * pdm_token_store_new:
 * @directory: the folder of the database, where the token file goes when
 *   no keyring answers
 *
 * Returns: (transfer full): a token store
 */
PdmTokenStore *
pdm_token_store_new (const char *directory)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (PDM_TYPE_TOKEN_STORE,
                       "directory", directory,
                       NULL);
}
