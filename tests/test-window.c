/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pdm-application.h"
#include "pdm-household-page.h"
#include "pdm-sync-indicator.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"
#include "pdm-window.h"

#define WAIT_MS PDM_TEST_WAIT_MS

typedef PdmTestUi Fixture;

static void
fixture_start (Fixture    *fixture,
               const char *server_url)
{
  pdm_test_ui_start (fixture, server_url, PDM_TEST_KELURAHAN);
}

static void
assert_saved_server_url (GSettings  *settings,
                         const char *expected)
{
  g_autofree char *saved = g_settings_get_string (settings, "server-url");

  g_assert_cmpstr (saved, ==, expected);
}

static AdwViewStack *
view_stack (PdmWindow *window)
{
  return ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                        PDM_TYPE_WINDOW,
                                                        "view_stack"));
}

static const char *
page_title (PdmWindow  *window,
            const char *name)
{
  AdwViewStack *stack = view_stack (window);
  GtkWidget *child = adw_view_stack_get_child_by_name (stack, name);

  g_assert_nonnull (child);

  return adw_view_stack_page_get_title (adw_view_stack_get_page (stack, child));
}

static PdmSyncIndicator *
sync_indicator (PdmWindow *window)
{
  return PDM_SYNC_INDICATOR (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                            PDM_TYPE_WINDOW,
                                                            "sync_indicator"));
}

static void
test_indonesian_navigation (void)
{
  Fixture fixture = { 0 };
  PdmHouseholdPage *households;

  fixture_start (&fixture, NULL);

  g_assert_cmpstr (page_title (fixture.window, "households"), ==, "Rumah Tangga");
  g_assert_cmpstr (page_title (fixture.window, "volunteers"), ==, "Relawan PSM");
  g_assert_cmpstr (page_title (fixture.window, "visits"), ==, "Kunjungan");
  g_assert_cmpstr (page_title (fixture.window, "trainings"), ==, "Pelatihan");
  g_assert_cmpstr (pdm_window_get_visible_page (fixture.window), ==, "households");

  /* A new database: the household page says what it will hold. */
  households = PDM_HOUSEHOLD_PAGE (adw_view_stack_get_child_by_name (view_stack (fixture.window),
                                                                    "households"));
  pdm_test_ui_wait_listed (pdm_household_page_get_model (households));
  g_assert_cmpstr (pdm_household_page_get_state (households), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (pdm_test_ui_get_child (households,
                                                                                    "empty_page"))),
                   ==, "Belum Ada Rumah Tangga");

  /* No server configured: the header bar says so, in Indonesian. */
  g_assert_cmpint (pdm_sync_indicator_get_state (sync_indicator (fixture.window)), ==,
                   PDM_SYNC_INDICATOR_NO_SERVER);
  g_assert_cmpstr (pdm_sync_indicator_get_summary (sync_indicator (fixture.window)), ==,
                   "Tanpa server");
  g_assert_true (g_str_has_prefix (pdm_sync_indicator_get_detail (sync_indicator (fixture.window)),
                                   "Tidak terhubung ke server."));

  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "main-window.png");

  /* Alt+3 and friends go through this action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window),
                                             "win.show-page", "s", "visits"));
  g_assert_cmpstr (pdm_window_get_visible_page (fixture.window), ==, "visits");

  pdm_test_ui_stop (&fixture);
}

static gboolean
indicator_settled (gpointer data)
{
  PdmSyncIndicatorState state = pdm_sync_indicator_get_state (data);

  return state == PDM_SYNC_INDICATOR_CONNECTED || state == PDM_SYNC_INDICATOR_FAILED;
}

static void
test_server_health_shown (void)
{
  g_autofree char *server_dir = pdm_test_make_tmp_dir ();
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { 0 };
  PdmSyncIndicator *indicator;

  server = pdm_test_server_start (server_dir, &url);
  fixture_start (&fixture, url);
  indicator = sync_indicator (fixture.window);

  g_assert_true (pdm_test_wait_for (NULL, indicator_settled, indicator, WAIT_MS));
  g_assert_cmpint (pdm_sync_indicator_get_state (indicator), ==, PDM_SYNC_INDICATOR_CONNECTED);
  g_assert_cmpstr (pdm_sync_indicator_get_summary (indicator), ==, "Terhubung");

  /* The server goes away: "Check Again" reports it instead of pretending. */
  pdm_test_server_stop (server);
  pdm_sync_indicator_check (indicator);
  g_assert_true (pdm_test_wait_for (NULL, indicator_settled, indicator, WAIT_MS));
  g_assert_cmpint (pdm_sync_indicator_get_state (indicator), ==, PDM_SYNC_INDICATOR_FAILED);
  g_assert_cmpstr (pdm_sync_indicator_get_summary (indicator), ==, "Server tidak terjangkau");
  g_assert_nonnull (strstr (pdm_sync_indicator_get_detail (indicator), url));

  pdm_test_ui_stop (&fixture);
  pdm_test_remove_tree (server_dir);
}

static GtkWindow *
find_preferences (PdmApplication *application)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l; l = l->next)
    if (ADW_IS_PREFERENCES_WINDOW (l->data))
      return l->data;

  return NULL;
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_preferences_refuses_bad_addresses (void)
{
  g_autofree char *closed_url = pdm_test_closed_port_url ();
  Fixture fixture = { 0 };
  GtkWindow *preferences;
  GtkWidget *row;
  GtkLabel *error_label;
  GSettings *settings;

  fixture_start (&fixture, NULL);
  settings = pdm_application_get_settings (fixture.application);

  g_action_group_activate_action (G_ACTION_GROUP (fixture.application), "preferences", NULL);
  preferences = find_preferences (fixture.application);
  g_assert_nonnull (preferences);
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                   G_OBJECT_TYPE (preferences), "server_row"));
  error_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                          G_OBJECT_TYPE (preferences),
                                                          "server_error_label"));

  /* Not a web address at all: refused at once. */
  gtk_editable_set_text (GTK_EDITABLE (row), "ftp://dinsos.local");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  assert_saved_server_url (settings, "");

  /* A well-formed address where no server answers: refused after trying. */
  gtk_editable_set_text (GTK_EDITABLE (row), closed_url);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_signal_emit_by_name (row, "apply");
  g_assert_true (pdm_test_wait_for (NULL, label_visible, error_label, WAIT_MS));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (error_label), "Alamat tidak disimpan."));
  g_assert_nonnull (strstr (gtk_label_get_label (error_label), closed_url));
  assert_saved_server_url (settings, "");
  g_assert_cmpstr (pdm_application_get_server_url (fixture.application), ==, "");

  pdm_test_ui_save_screenshot (GTK_WIDGET (preferences), "preferences.png");

  pdm_test_ui_stop (&fixture);
}

static gboolean
server_url_saved (gpointer data)
{
  g_autofree char *saved = g_settings_get_string (data, "server-url");

  return *saved != '\0';
}

static void
test_preferences_saves_working_server (void)
{
  g_autofree char *server_dir = pdm_test_make_tmp_dir ();
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { 0 };
  GtkWindow *preferences;
  GtkWidget *row;
  GSettings *settings;

  server = pdm_test_server_start (server_dir, &url);
  fixture_start (&fixture, NULL);
  settings = pdm_application_get_settings (fixture.application);

  g_action_group_activate_action (G_ACTION_GROUP (fixture.application), "preferences", NULL);
  preferences = find_preferences (fixture.application);
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                   G_OBJECT_TYPE (preferences), "server_row"));
  gtk_editable_set_text (GTK_EDITABLE (row), url);
  g_signal_emit_by_name (row, "apply");

  g_assert_true (pdm_test_wait_for (NULL, server_url_saved, settings, WAIT_MS));
  assert_saved_server_url (settings, url);
  /* The header bar follows the new address. */
  g_assert_cmpstr (pdm_sync_indicator_get_server_url (sync_indicator (fixture.window)), ==, url);

  pdm_test_ui_stop (&fixture);
  pdm_test_server_stop (server);
  pdm_test_remove_tree (server_dir);
}

static void
test_foreign_database_shown_untouched (void)
{
  g_autofree char *data_dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (data_dir, "pendamping.db", NULL);
  const char *foreign = "NIK;NAMA\n1375014101900001;Siti Aminah\n";
  g_autofree char *after = NULL;
  g_autoptr(PdmApplication) application = NULL;
  GtkWindow *window;

  g_assert_true (g_file_set_contents (path, foreign, -1, NULL));
  g_setenv ("PENDAMPING_DATA_DIR", data_dir, TRUE);

  application = pdm_test_ui_new_application ();
  g_application_activate (G_APPLICATION (application));
  window = gtk_application_get_active_window (GTK_APPLICATION (application));

  g_assert_cmpstr (pdm_window_get_visible_page (PDM_WINDOW (window)), ==, "database-error");
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, foreign);

  gtk_window_destroy (window);
  g_unsetenv ("PENDAMPING_DATA_DIR");
  pdm_test_remove_tree (data_dir);
}

static void
test_window_size_remembered (void)
{
  Fixture fixture = { 0 };
  GSettings *settings;
  int width, height;

  fixture_start (&fixture, NULL);
  settings = pdm_application_get_settings (fixture.application);

  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 1024, 600);
  gtk_window_close (GTK_WINDOW (fixture.window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1024);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);

  /* The next window of the same run opens at that size. */
  g_application_activate (G_APPLICATION (fixture.application));
  fixture.window = PDM_WINDOW (gtk_application_get_active_window (
    GTK_APPLICATION (fixture.application)));
  g_assert_true (pdm_test_wait_for (NULL, pdm_test_ui_window_is_mapped, &fixture, WAIT_MS));
  gtk_window_get_default_size (GTK_WINDOW (fixture.window), &width, &height);
  g_assert_cmpint (width, ==, 1024);
  g_assert_cmpint (height, ==, 600);

  pdm_test_ui_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/window/indonesian-navigation", test_indonesian_navigation);
  g_test_add_func ("/ui/window/server-health", test_server_health_shown);
  g_test_add_func ("/ui/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/ui/window/foreign-database", test_foreign_database_shown_untouched);
  g_test_add_func ("/ui/preferences/bad-addresses", test_preferences_refuses_bad_addresses);
  g_test_add_func ("/ui/preferences/working-server", test_preferences_saves_working_server);

  return g_test_run ();
}
