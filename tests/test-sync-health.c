/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-health"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "pdm-sync-client.h"
#include "pdm-test-process.h"
#include "pdm-test-util.h"

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Waited;

static void
on_health_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Waited *waited = user_data;

  waited->result = g_object_ref (result);
  waited->done = TRUE;
}

static PdmServerHealth *
check_health (const char    *url,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(PdmSyncClient) client = pdm_sync_client_new (url);
  g_autoptr(GAsyncResult) result = NULL;
  Waited waited = { FALSE, NULL };

  g_assert_cmpstr (pdm_sync_client_get_server_url (client), ==, url);

  pdm_sync_client_check_health_async (client, cancellable, on_health_cb, &waited);
  /* Longer than the client's own timeout, which must fire first. */
  g_assert_true (pdm_test_wait_for (NULL, pdm_test_flag_is_set, &waited.done,
                                    2 * PDM_TEST_TIMEOUT_MS));
  result = waited.result;

  return pdm_sync_client_check_health_finish (client, result, error);
}

static void
assert_healthy (const char *url)
{
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;

  health = check_health (url, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (health);
  g_assert_cmpstr (health->status, ==, "ok");
  g_assert_cmpstr (health->version, ==, PACKAGE_VERSION);
  g_assert_cmpint (health->protocol_version, ==, PDM_PROTOCOL_VERSION);
  g_assert_true (g_uuid_string_is_valid (health->server_id));
}

static void
test_health_ok (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *without_slash = g_strndup (server->url, strlen (server->url) - 1);

  assert_healthy (server->url);
  /* People type the address without the final slash. */
  assert_healthy (without_slash);
}

static void
test_health_unreachable (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup (server->url);

  /* A port that just had a server on it is closed now, and few programs
   * grab a fresh ephemeral port within these milliseconds. */
  g_assert_cmpint (pdm_test_process_signal (server, SIGTERM, NULL, NULL), ==, 0);

  health = check_health (url, NULL, &error);

  g_assert_null (health);
  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, url));
}

static void
test_health_not_pendamping (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (server->url, "somewhere/else", NULL);

  health = check_health (url, NULL, &error);

  g_assert_null (health);
  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "404"));
}

static void
test_health_cancelled (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  health = check_health (server->url, cancellable, &error);

  g_assert_null (health);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* An in-process server that gives one fixed answer, for what a real
 * pendamping-server never says. */
typedef struct
{
  guint       status;
  const char *body;
  char       *protocol_header;
} Canned;

static void
on_canned_request_cb (SoupServer        *soup_server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  Canned *canned = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_free (canned->protocol_header);
  canned->protocol_header = g_strdup (soup_message_headers_get_one (headers,
                                                                    "X-Pendamping-Protocol"));

  soup_server_message_set_status (msg, canned->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    canned->body, strlen (canned->body));
}

static GError *
check_canned_health (Canned *canned)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(PdmServerHealth) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *url = NULL;
  GSList *listeners;

  soup_server_add_handler (soup_server, NULL, on_canned_request_cb, canned, NULL);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  /* Not soup_server_get_uris(), which leaks in libsoup 3.2. */
  listeners = soup_server_get_listeners (soup_server);
  address = g_socket_get_local_address (listeners->data, &error);
  g_slist_free (listeners);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));

  health = check_health (url, NULL, &error);
  g_assert_null (health);
  g_assert_cmpstr (canned->protocol_header, ==, G_STRINGIFY (PDM_PROTOCOL_VERSION));
  g_clear_pointer (&canned->protocol_header, g_free);

  soup_server_disconnect (soup_server);

  return g_steal_pointer (&error);
}

static void
test_health_incompatible (void)
{
  Canned canned = {
    SOUP_STATUS_OK,
    "{\"status\":\"ok\",\"version\":\"9.0\",\"protocol_version\":7,\"server_id\":\"x\"}",
    NULL,
  };
  g_autoptr(GError) error = check_canned_health (&canned);
  g_autofree char *expected = NULL;

  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_INCOMPATIBLE);
  expected = g_strdup_printf ("The server speaks protocol 7; this version of Pendamping "
                              "speaks %d", PDM_PROTOCOL_VERSION);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_health_bad_response (void)
{
  const char *bodies[] = {
    "<html><body>Welcome to nginx!</body></html>",
    "",
    "[1, 2, 3]",
    "{\"protocol_version\":1}",
    "{\"status\":\"ok\",\"version\":\"0.1.0\",\"protocol_version\":\"1\",\"server_id\":\"x\"}",
    "{\"status\":\"ok\",\"version\":{},\"protocol_version\":1,\"server_id\":\"x\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      Canned canned = { SOUP_STATUS_OK, bodies[i], NULL };
      g_autoptr(GError) error = check_canned_health (&canned);

      g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_BAD_RESPONSE);
    }
}

static void
test_health_server_error (void)
{
  Canned canned = {
    SOUP_STATUS_SERVICE_UNAVAILABLE,
    "{\"status\":\"error\",\"message\":\"The disk is full\"}",
    NULL,
  };
  g_autoptr(GError) error = check_canned_health (&canned);

  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (error->message, "The disk is full"));
}

static void
test_validate_url (void)
{
  const char *rejected[] = { "ftp://x", "not a url", "http://", "", "file:///tmp", "http:///x" };
  const char *accepted[] = {
    "http://127.0.0.1:8080", "https://dinsos.bukittinggikota.go.id/pendamping/", "http://[::1]:80",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (pdm_sync_client_validate_url (rejected[i], &error));
      g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_INVALID_URL);
      g_assert_nonnull (strstr (error->message, rejected[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (pdm_sync_client_validate_url (accepted[i], &error));
      g_assert_no_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/health/ok", test_health_ok);
  g_test_add_func ("/sync/health/unreachable", test_health_unreachable);
  g_test_add_func ("/sync/health/not-pendamping", test_health_not_pendamping);
  g_test_add_func ("/sync/health/cancelled", test_health_cancelled);
  g_test_add_func ("/sync/health/incompatible", test_health_incompatible);
  g_test_add_func ("/sync/health/bad-response", test_health_bad_response);
  g_test_add_func ("/sync/health/server-error", test_health_server_error);
  g_test_add_func ("/sync/validate-url", test_validate_url);

  return g_test_run ();
}
