/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pdm-sync-client.h"
#include "pdm-sync-client-private.h"

#define PROTOCOL_HEADER "X-Pendamping-Protocol"

struct _PdmSyncClient
{
  GObject      parent_instance;

  char        *server_url;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (PdmSyncClient, pdm_sync_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (pdm-sync-error-quark, pdm_sync_error)

G_DEFINE_BOXED_TYPE (PdmServerHealth, pdm_server_health,
                     pdm_server_health_copy, pdm_server_health_free)

enum {
  PROP_0,
  PROP_SERVER_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PdmServerHealth *
pdm_server_health_copy (const PdmServerHealth *health)
{
  PdmServerHealth *copy;

  g_return_val_if_fail (health != NULL, NULL);

  copy = g_new0 (PdmServerHealth, 1);
  copy->status = g_strdup (health->status);
  copy->version = g_strdup (health->version);
  copy->protocol_version = health->protocol_version;
  copy->server_id = g_strdup (health->server_id);

  return copy;
}

void
pdm_server_health_free (PdmServerHealth *health)
{
  if (health == NULL)
    return;

  g_free (health->status);
  g_free (health->version);
  g_free (health->server_id);
  g_free (health);
}

/**
 * pdm_sync_client_validate_url:
 * @url: what a person typed as the server address
 * @error: return location for a #GError
 *
 * Accepts only http and https URLs that name a host, so the Preferences
 * window can say what is wrong before anything is saved.
 *
 * Returns: %TRUE if @url can be used as a server address
 */
gboolean
pdm_sync_client_validate_url (const char  *url,
                              GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a server address; write it like http://192.168.1.10:8080"),
                   url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_INVALID_URL,
                   _("The server address “%s” must start with http:// or https://"), url);
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_INVALID_URL,
                   _("The server address “%s” has no server name or IP address"), url);
      return FALSE;
    }

  return TRUE;
}

/* Endpoints are resolved against the server URL as a directory, so a
 * server behind a reverse proxy at http://host/pendamping/ works too. */
SoupMessage *
_pdm_sync_message_new (const char *server_url,
                       const char *method,
                       const char *endpoint)
{
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  if (g_str_has_suffix (server_url, "/"))
    base = g_strdup (server_url);
  else
    base = g_strconcat (server_url, "/", NULL);

  url = g_uri_resolve_relative (base, endpoint, G_URI_FLAGS_NONE, NULL);
  g_assert (url != NULL);

  msg = soup_message_new (method, url);
  g_assert (msg != NULL);

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, PROTOCOL_HEADER, G_STRINGIFY (PDM_PROTOCOL_VERSION));
  soup_message_headers_replace (headers, "Accept", "application/json");

  return msg;
}

GError *
_pdm_sync_transport_error (const char   *server_url,
                           const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  return g_error_new (PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNREACHABLE,
                      _("Cannot reach the server at %s: %s"),
                      server_url, error->message);
}

const char *
_pdm_sync_get_string_member (JsonObject *object,
                             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* The refusals of push, pull and enroll that a person can act on; the
 * decision rests on the stable `error` code, never on the server's text. */
static gboolean
set_protocol_error (const char  *server_url,
                    guint        status,
                    JsonObject  *object,
                    GError     **error)
{
  const char *code = _pdm_sync_get_string_member (object, "error");

  if (status == SOUP_STATUS_UNAUTHORIZED && g_strcmp0 (code, "unauthorized") == 0)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNAUTHORIZED,
                   _("The server at %s no longer accepts this computer; ask the Dinas "
                     "for a new enrollment code and enroll again"),
                   server_url);
      return TRUE;
    }

  if (status == SOUP_STATUS_FORBIDDEN && g_strcmp0 (code, "enrollment-refused") == 0)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_REFUSED,
                   _("The server at %s refused the enrollment code: it is unknown, already "
                     "used or expired; ask the Dinas for a new one"),
                   server_url);
      return TRUE;
    }

  if (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (code, "schema-unsupported") == 0)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_INCOMPATIBLE,
                   _("The server at %s does not know the records of this version of "
                     "Pendamping; the server or the app needs an update"),
                   server_url);
      return TRUE;
    }

  return FALSE;
}

/* Every answer of the protocol is a JSON object, the error answers too;
 * this turns the status and the body into that object or a PDM_SYNC_ERROR. */
JsonObject *
_pdm_sync_read_answer (const char   *server_url,
                       SoupMessage  *msg,
                       GBytes       *body,
                       GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status = soup_message_get_status (msg);
  JsonObject *object = NULL;
  JsonNode *root = NULL;
  const char *data;
  gsize size;

  data = g_bytes_get_data (body, &size);
  if (size > 0 && json_parser_load_from_data (parser, data, size, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      const char *message = NULL;

      if (object != NULL)
        message = _pdm_sync_get_string_member (object, "message");
      if (message == NULL)
        message = soup_message_get_reason_phrase (msg);

      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_SERVER_ERROR,
                   _("The server at %s has a problem: %s"), server_url, message);
      return NULL;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status) && object != NULL &&
      set_protocol_error (server_url, status, object, error))
    return NULL;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* TRANSLATORS: the second and third %s are an HTTP status such as "404 Not Found" */
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_BAD_RESPONSE,
                   _("The server at %s answered “%u %s”; is this the address of a "
                     "Pendamping server?"),
                   server_url, status, soup_message_get_reason_phrase (msg));
      return NULL;
    }

  if (object == NULL)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_BAD_RESPONSE,
                   _("The server at %s did not answer in the Pendamping protocol"),
                   server_url);
      return NULL;
    }

  return json_object_ref (object);
}

PdmServerHealth *
_pdm_sync_health_from_json (const char  *server_url,
                            JsonObject  *object,
                            GError     **error)
{
  g_autoptr(PdmServerHealth) health = g_new0 (PdmServerHealth, 1);
  JsonNode *protocol = json_object_get_member (object, "protocol_version");
  gint64 protocol_version;
  const char *status;
  const char *version;
  const char *server_id;

  /* The protocol version is checked first: it is the one field every
   * server, older or newer, promises to send. */
  if (protocol == NULL || json_node_get_value_type (protocol) != G_TYPE_INT64)
    goto bad_response;

  protocol_version = json_node_get_int (protocol);
  if (protocol_version != PDM_PROTOCOL_VERSION)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_INCOMPATIBLE,
                   _("The server speaks protocol %d; this version of Pendamping speaks %d"),
                   (int) CLAMP (protocol_version, G_MININT, G_MAXINT), PDM_PROTOCOL_VERSION);
      return NULL;
    }

  status = _pdm_sync_get_string_member (object, "status");
  version = _pdm_sync_get_string_member (object, "version");
  server_id = _pdm_sync_get_string_member (object, "server_id");
  if (status == NULL || version == NULL || server_id == NULL)
    goto bad_response;

  health->status = g_strdup (status);
  health->version = g_strdup (version);
  health->protocol_version = protocol_version;
  health->server_id = g_strdup (server_id);

  return g_steal_pointer (&health);

bad_response:
  g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_BAD_RESPONSE,
               _("The server at %s did not answer in the Pendamping protocol"),
               server_url);
  return NULL;
}

static void
on_health_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdmSyncClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, _pdm_sync_transport_error (self->server_url, error));
      return;
    }

  object = _pdm_sync_read_answer (self->server_url, msg, body, &error);
  if (object != NULL)
    health = _pdm_sync_health_from_json (self->server_url, object, &error);

  if (health == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&health),
                           (GDestroyNotify) pdm_server_health_free);
}

/**
 * pdm_sync_client_check_health_async:
 * @self: a #PdmSyncClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: data for @callback
 *
 * Asks the server whether it works and which protocol it speaks; the
 * Preferences window's "Test connection" and the start of every sync use it.
 */
void
pdm_sync_client_check_health_async (PdmSyncClient       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PDM_IS_SYNC_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdm_sync_client_check_health_async);

  if (!pdm_sync_client_validate_url (self->server_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  msg = _pdm_sync_message_new (self->server_url, SOUP_METHOD_GET, "api/v1/health");
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_health_read_cb, g_steal_pointer (&task));
}

/**
 * pdm_sync_client_check_health_finish:
 * @self: a #PdmSyncClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError in %PDM_SYNC_ERROR (or
 *   %G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full): what the server said about itself; a server of
 *   another protocol version is an error (%PDM_SYNC_ERROR_INCOMPATIBLE)
 */
PdmServerHealth *
pdm_sync_client_check_health_finish (PdmSyncClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (PDM_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pdm_sync_client_check_health_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
pdm_sync_client_finalize (GObject *object)
{
  PdmSyncClient *self = (PdmSyncClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->server_url, g_free);

  G_OBJECT_CLASS (pdm_sync_client_parent_class)->finalize (object);
}

static void
pdm_sync_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdmSyncClient *self = PDM_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdmSyncClient *self = PDM_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_client_class_init (PdmSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdm_sync_client_finalize;
  object_class->get_property = pdm_sync_client_get_property;
  object_class->set_property = pdm_sync_client_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* A kelurahan link can be slow but should not leave the sync status
 * hanging; Accept-Language lets the server answer in the user's language.
 * libsoup 3 adds its content decoder by default, so gzip answers are asked
 * for and decoded without more code. */
SoupSession *
_pdm_sync_session_new (void)
{
  return soup_session_new_with_options ("timeout", PDM_SYNC_TIMEOUT_SECONDS,
                                        "user-agent", "Pendamping/" PACKAGE_VERSION,
                                        "accept-language-auto", TRUE,
                                        NULL);
}

static void
pdm_sync_client_init (PdmSyncClient *self)
{
  self->session = _pdm_sync_session_new ();
}

/**
 * pdm_sync_client_new:
 * @server_url: the server's base URL, such as http://192.168.1.10:8080
 *
 * Returns: (transfer full): a client for that server
 */
PdmSyncClient *
pdm_sync_client_new (const char *server_url)
{
  g_return_val_if_fail (server_url != NULL, NULL);

  return g_object_new (PDM_TYPE_SYNC_CLIENT,
                       "server-url", server_url,
                       NULL);
}

const char *
pdm_sync_client_get_server_url (PdmSyncClient *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_CLIENT (self), NULL);

  return self->server_url;
}
