/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pdm-conflict-window.h"
#include "pdm-household-editor.h"
#include "pdm-preferences-window.h"
#include "pdm-quarantine-window.h"
#include "pdm-rules.h"
#include "pdm-sync-engine.h"
#include "pdm-sync-history-window.h"
#include "pdm-sync-indicator.h"
#include "pdm-test-process.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"

/*
 * The app side of sync against the real pendamping-server: enrolling in
 * Preferences, the header bar following the scheduler, the conflict inbox
 * and the wrong clock. Expected texts come from the catalogue through the
 * English source strings, so the tests read what an Indonesian user reads.
 */

#define WAIT_MS 30000

typedef struct
{
  PdmTestUi       ui;
  PdmTestProcess *server;
} Fixture;

/* --- helpers ---------------------------------------------------------------- */

static char *
make_code (PdmTestProcess *server)
{
  const char *args[] = {
    "enroll", "--kelurahan", PDM_TEST_KELURAHAN, "--data-dir", server->data_dir, NULL,
  };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *colon;

  g_assert_cmpint (pdm_test_process_run (args, &out, NULL), ==, 0);

  /* The first line is "Enrollment code: K7QX-2MDP". */
  lines = g_strsplit (out, "\n", 2);
  colon = strrchr (lines[0], ':');
  g_assert_nonnull (colon);

  return g_strstrip (g_strdup (colon + 1));
}

static PdmSyncIndicator *
indicator_of (Fixture *fixture)
{
  return PDM_SYNC_INDICATOR (pdm_test_ui_get_child (fixture->ui.window, "sync_indicator"));
}

typedef struct
{
  PdmSyncIndicator      *indicator;
  PdmSyncIndicatorState  state;
} StateWait;

static gboolean
indicator_in_state (gpointer data)
{
  StateWait *wait = data;

  return pdm_sync_indicator_get_state (wait->indicator) == wait->state;
}

static void
wait_for_state (Fixture               *fixture,
                PdmSyncIndicatorState  state)
{
  StateWait wait = { indicator_of (fixture), state };

  if (!pdm_test_wait_for (NULL, indicator_in_state, &wait, WAIT_MS))
    g_error ("The indicator stayed at %d (“%s”: %s), not %d",
             pdm_sync_indicator_get_state (wait.indicator),
             pdm_sync_indicator_get_summary (wait.indicator),
             pdm_sync_indicator_get_detail (wait.indicator), state);
}

static GtkWindow *
open_preferences (Fixture *fixture)
{
  GtkWindow *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->ui.application), "preferences", NULL);
  preferences = pdm_test_ui_find_window (fixture->ui.application, PDM_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);

  return preferences;
}

static gboolean
spinner_stopped (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* Types a fresh code into Preferences, as the operator would. */
static GtkWindow *
enroll_in_preferences (Fixture *fixture)
{
  g_autofree char *code = make_code (fixture->server);
  GtkWindow *preferences = open_preferences (fixture);
  GObject *code_row = pdm_test_ui_get_child (preferences, "code_row");

  gtk_editable_set_text (GTK_EDITABLE (code_row), code);
  g_signal_emit_by_name (code_row, "apply");
  g_assert_true (pdm_test_wait_for (NULL, spinner_stopped,
                                    pdm_test_ui_get_child (preferences, "code_spinner"),
                                    WAIT_MS));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pdm_test_ui_get_child (preferences,
                                                                             "code_error_label"))));
  wait_for_state (fixture, PDM_SYNC_INDICATOR_SYNCED);

  return preferences;
}

static void
fixture_start (Fixture *fixture)
{
  fixture->server = pdm_test_process_serve (NULL);
  pdm_test_ui_start (&fixture->ui, fixture->server->url, PDM_TEST_KELURAHAN);
}

static void
fixture_start_enrolled (Fixture *fixture)
{
  fixture_start (fixture);
  gtk_window_destroy (enroll_in_preferences (fixture));
}

static void
fixture_stop (Fixture *fixture)
{
  pdm_test_ui_stop (&fixture->ui);
  g_clear_pointer (&fixture->server, pdm_test_process_free);
}

static PdmRepository *
repository_of (Fixture *fixture)
{
  return pdm_application_get_repository (fixture->ui.application);
}

/* A local save in @kelurahan, as an editor makes it. */
static char *
save_household_in (Fixture    *fixture,
                   const char *head_name,
                   const char *kelurahan)
{
  g_autoptr(PdmRecord) household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autofree char *kk_number = NULL;
  g_autoptr(GError) error = NULL;

  /* The KK starts with the kecamatan; the serial tells households apart. */
  kk_number = g_strdup_printf ("%.2s%.2s%.2s12031500%02u", kelurahan, kelurahan + 3,
                               kelurahan + 6, g_str_hash (head_name) % 100);
  pdm_record_set (household, "head_name", head_name);
  pdm_record_set (household, "kk_number", kk_number);
  pdm_record_set (household, "desil", "2");
  pdm_record_set (household, "address", "Jl. Sudirman No. 5");
  pdm_record_set (household, "rt", "2");
  pdm_record_set (household, "rw", "4");
  pdm_record_set (household, "kelurahan_code", kelurahan);
  pdm_rules_save (repository_of (fixture), household, NULL, NULL, &error);
  g_assert_no_error (error);
  pdm_application_records_changed (fixture->ui.application, PDM_TABLE_HOUSEHOLD);

  return g_strdup (household->id);
}

static char *
save_household (Fixture    *fixture,
                const char *head_name)
{
  return save_household_in (fixture, head_name, PDM_TEST_KELURAHAN);
}

static void
rename_household (PdmRepository *repository,
                  const char    *id,
                  const char    *head_name)
{
  g_autoptr(PdmRecord) household = NULL;
  g_autoptr(GError) error = NULL;

  household = pdm_repository_get (repository, PDM_TABLE_HOUSEHOLD, id, &error);
  g_assert_no_error (error);
  pdm_record_set (household, "head_name", head_name);
  g_assert_true (pdm_repository_update (repository, household, NULL, &error));
  g_assert_no_error (error);
}

static char *
head_name_of (PdmRepository *repository,
              const char    *id)
{
  g_autoptr(PdmRecord) household = pdm_repository_get (repository, PDM_TABLE_HOUSEHOLD, id, NULL);

  return household != NULL ? g_strdup (pdm_record_get (household, "head_name")) : NULL;
}

static gint64
count_history (Fixture *fixture)
{
  return pdm_test_query_int (pdm_database_get_handle (pdm_application_get_database (
                               fixture->ui.application)),
                             "SELECT count(*) FROM sync_history WHERE kind = 'sync'");
}

/* --- a second device, driven through its engine ------------------------------ */

typedef struct
{
  char          *dir;
  PdmDatabase   *database;
  PdmRepository *repository;
  PdmSyncEngine *engine;
} Device;

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  g_assert_true (pdm_test_wait_for (NULL, result_arrived, result, WAIT_MS));

  return *result;
}

static Device *
device_new_enrolled (Fixture *fixture)
{
  Device *device = g_new0 (Device, 1);
  g_autofree char *path = NULL;
  g_autofree char *code = make_code (fixture->server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  device->dir = pdm_test_make_tmp_dir ();
  path = g_build_filename (device->dir, "pendamping.db", NULL);
  device->database = pdm_database_open (path, &error);
  g_assert_no_error (error);
  device->repository = pdm_repository_new (device->database, &error);
  g_assert_no_error (error);
  device->engine = pdm_sync_engine_new (path, fixture->server->url);

  pdm_sync_engine_enroll_async (device->engine, code, "PC Kelurahan kedua", NULL,
                                on_done_cb, &result);
  g_assert_true (pdm_sync_engine_enroll_finish (device->engine, wait_result (&result), &error));
  g_assert_no_error (error);

  return device;
}

static void
device_sync (Device *device)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  pdm_sync_engine_sync_async (device->engine, NULL, on_done_cb, &result);
  report = pdm_sync_engine_sync_finish (device->engine, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->pending, ==, 0);
}

static void
device_free (Device *device)
{
  g_clear_object (&device->engine);
  g_clear_object (&device->repository);
  g_clear_object (&device->database);
  pdm_test_remove_tree (device->dir);
  g_free (device->dir);
  g_free (device);
}

/* --- tests ------------------------------------------------------------------ */

static gboolean
summary_is (gpointer data)
{
  gpointer *pair = data;

  return g_strcmp0 (pdm_sync_indicator_get_summary (pair[0]), pair[1]) == 0;
}

static void
test_enroll_then_local_save_syncs (void)
{
  Fixture fixture = { 0 };
  g_autofree char *waiting = NULL;
  g_autofree char *synced = NULL;
  g_autofree char *id = NULL;
  GtkWindow *preferences;
  PdmSyncIndicator *indicator;
  gpointer pair[2];

  fixture_start (&fixture);
  indicator = indicator_of (&fixture);

  /* Not enrolled yet: the health check speaks, and Sync Now is off. */
  wait_for_state (&fixture, PDM_SYNC_INDICATOR_CONNECTED);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture.ui.application),
                                                     "sync"));

  preferences = enroll_in_preferences (&fixture);
  synced = g_strndup (_("Synced %s"), strlen (_("Synced %s")) - strlen ("%s"));
  g_assert_true (g_str_has_prefix (pdm_sync_indicator_get_summary (indicator), synced));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture.ui.application),
                                                    "sync"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                              pdm_test_ui_get_child (preferences, "scope_row"))),
                            PDM_TEST_KELURAHAN));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     pdm_test_ui_get_child (preferences, "token_row"))), !=, "");
  pdm_test_ui_save_screenshot (GTK_WIDGET (preferences), "preferences-enrollment.png");
  gtk_window_destroy (preferences);

  /* A local save waits a moment, then goes. */
  id = save_household (&fixture, "Budi Santoso");
  waiting = g_strdup_printf (ngettext ("%u change waiting", "%u changes waiting", 1), 1);
  pair[0] = indicator;
  pair[1] = waiting;
  g_assert_true (pdm_test_wait_for (NULL, summary_is, pair, WAIT_MS));
  g_assert_cmpint (pdm_sync_indicator_get_state (indicator), ==, PDM_SYNC_INDICATOR_PENDING);
  wait_for_state (&fixture, PDM_SYNC_INDICATOR_SYNCED);
  g_assert_cmpuint (pdm_sync_scheduler_get_pending (
                      pdm_application_get_sync_scheduler (fixture.ui.application)), ==, 0);

  fixture_stop (&fixture);
}

static gboolean
history_grew (gpointer data)
{
  gpointer *pair = data;

  return count_history (pair[0]) > GPOINTER_TO_INT (pair[1]);
}

static void
test_f5_syncs (void)
{
  Fixture fixture = { 0 };
  g_auto(GStrv) accels = NULL;
  gpointer pair[2];

  fixture_start_enrolled (&fixture);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture.ui.application),
                                                  "app.sync");
  g_assert_true (g_strv_contains ((const char * const *) accels, "F5"));

  pair[0] = &fixture;
  pair[1] = GINT_TO_POINTER ((int) count_history (&fixture));
  g_action_group_activate_action (G_ACTION_GROUP (fixture.ui.application), "sync", NULL);
  g_assert_true (pdm_test_wait_for (NULL, history_grew, pair, WAIT_MS));
  wait_for_state (&fixture, PDM_SYNC_INDICATOR_SYNCED);

  fixture_stop (&fixture);
}

/* The "Use This Value" button of the row that shows @value. */
static GtkWidget *
find_use_button (GtkWidget  *widget,
                 const char *value)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), value) == 0)
    {
      for (GtkWidget *child = widget; child != NULL; child = gtk_widget_get_last_child (child))
        if (GTK_IS_BUTTON (child))
          return child;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_use_button (child, value);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
no_pending (gpointer data)
{
  Fixture *fixture = data;
  PdmSyncScheduler *scheduler = pdm_application_get_sync_scheduler (fixture->ui.application);

  return pdm_sync_scheduler_get_state (scheduler) == PDM_SYNC_STATE_IDLE &&
         pdm_sync_scheduler_get_pending (scheduler) == 0 &&
         pdm_repository_count_outbox (repository_of (fixture)) == 0;
}

static void
test_conflict_inbox (void)
{
  Fixture fixture = { 0 };
  Device *other;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  PdmSyncIndicator *indicator;
  PdmConflictWindow *inbox;
  GtkWidget *button;

  fixture_start_enrolled (&fixture);
  indicator = indicator_of (&fixture);
  other = device_new_enrolled (&fixture);

  /* Both computers have the household... */
  id = save_household (&fixture, "Budi Santoso");
  g_assert_true (pdm_test_wait_for (NULL, no_pending, &fixture, WAIT_MS));
  device_sync (other);

  /* ...and rename its head without seeing each other. */
  rename_household (other->repository, id, "Budi Santosa");
  device_sync (other);
  rename_household (repository_of (&fixture), id, "Budiman Santoso");
  pdm_application_records_changed (fixture.ui.application, PDM_TABLE_HOUSEHOLD);
  g_assert_true (pdm_test_wait_for (NULL, no_pending, &fixture, WAIT_MS));
  wait_for_state (&fixture, PDM_SYNC_INDICATOR_SYNCED);
  g_assert_cmpuint (pdm_sync_indicator_get_n_conflicts (indicator), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (indicator), "sync.conflicts", NULL);
  inbox = PDM_CONFLICT_WINDOW (pdm_test_ui_find_window (fixture.ui.application,
                                                        PDM_TYPE_CONFLICT_WINDOW));
  g_assert_nonnull (inbox);
  g_assert_cmpuint (pdm_conflict_window_get_n_fields (inbox), ==, 1);
  pdm_test_ui_save_screenshot (GTK_WIDGET (inbox), "conflict-inbox.png");

  /* The other computer's value is the one to keep. */
  button = find_use_button (GTK_WIDGET (inbox), "Budi Santosa");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (pdm_conflict_window_get_n_fields (inbox), ==, 0);
  g_assert_cmpuint (pdm_sync_indicator_get_n_conflicts (indicator), ==, 0);

  /* The choice is a new write that reaches the other computer. */
  g_assert_true (pdm_test_wait_for (NULL, no_pending, &fixture, WAIT_MS));
  device_sync (other);
  name = head_name_of (other->repository, id);
  g_assert_cmpstr (name, ==, "Budi Santosa");
  conflicts = pdm_repository_list_conflicted_fields (other->repository, NULL);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&name, g_free);
  name = head_name_of (repository_of (&fixture), id);
  g_assert_cmpstr (name, ==, "Budi Santosa");

  device_free (other);
  fixture_stop (&fixture);
}

static gboolean
quarantined (gpointer data)
{
  gpointer *pair = data;

  return pdm_sync_indicator_get_n_quarantined (pair[0]) == GPOINTER_TO_UINT (pair[1]);
}

static void
wait_quarantined (PdmSyncIndicator *indicator,
                  guint             n_items)
{
  gpointer pair[] = { indicator, GUINT_TO_POINTER (n_items) };

  g_assert_true (pdm_test_wait_for (NULL, quarantined, pair, WAIT_MS));
}

static guint
kelurahan_position (Fixture    *fixture,
                    const char *code)
{
  PdmRegions *regions = pdm_application_get_regions (fixture->ui.application);
  const char * const *codes = pdm_regions_get_kelurahan (regions);

  for (guint i = 0; codes[i] != NULL; i++)
    if (g_str_equal (codes[i], code))
      return i;

  g_assert_not_reached ();
}

/* A household saved for another kelurahan is refused by the server: it
 * waits in the quarantine while the rest syncs; Fix puts it right and it
 * syncs, Drop forgets the refused write; the history lists each run. */
static void
test_quarantine_and_history (void)
{
  Fixture fixture = { 0 };
  PdmSyncIndicator *indicator;
  PdmQuarantineWindow *quarantine;
  PdmSyncHistoryWindow *history;
  GtkWindow *editor;
  Device *other;
  g_autofree char *fixed = NULL;
  g_autofree char *dropped = NULL;
  g_autofree char *name = NULL;

  fixture_start_enrolled (&fixture);
  indicator = indicator_of (&fixture);
  other = device_new_enrolled (&fixture);

  fixed = save_household_in (&fixture, "Rahmat Hidayat", "13.75.03.1001");
  dropped = save_household_in (&fixture, "Nurhayati", "13.75.03.1002");
  g_assert_true (pdm_test_wait_for (NULL, no_pending, &fixture, WAIT_MS));
  wait_quarantined (indicator, 2);

  gtk_widget_activate_action (GTK_WIDGET (indicator), "sync.quarantine", NULL);
  quarantine = PDM_QUARANTINE_WINDOW (pdm_test_ui_find_window (fixture.ui.application,
                                                               PDM_TYPE_QUARANTINE_WINDOW));
  g_assert_nonnull (quarantine);
  g_assert_cmpuint (pdm_quarantine_window_get_n_items (quarantine), ==, 2);
  pdm_test_ui_save_screenshot (GTK_WIDGET (quarantine), "quarantine.png");

  /* Fix: the household belongs to this kelurahan after all. */
  g_signal_emit_by_name (pdm_test_ui_find_row_button (GTK_WIDGET (quarantine), "Rahmat Hidayat",
                                                      _("_Fix")), "clicked");
  editor = pdm_test_ui_find_window (fixture.ui.application, PDM_TYPE_HOUSEHOLD_EDITOR);
  g_assert_nonnull (editor);
  adw_combo_row_set_selected (ADW_COMBO_ROW (pdm_test_ui_get_child (editor, "kelurahan_row")),
                              kelurahan_position (&fixture, PDM_TEST_KELURAHAN));
  pdm_test_ui_activate_until_closed (editor, "editor.save");
  g_assert_cmpuint (pdm_quarantine_window_get_n_items (quarantine), ==, 1);

  /* Drop: the other refused write is forgotten; the record stays here. */
  g_signal_emit_by_name (pdm_test_ui_find_row_button (GTK_WIDGET (quarantine), "Nurhayati",
                                                      _("_Drop")), "clicked");
  g_assert_cmpuint (pdm_quarantine_window_get_n_items (quarantine), ==, 0);
  wait_quarantined (indicator, 0);
  name = head_name_of (repository_of (&fixture), dropped);
  g_assert_cmpstr (name, ==, "Nurhayati");
  g_clear_pointer (&name, g_free);

  /* The fixed household reaches the other computer of the kelurahan. */
  g_assert_true (pdm_test_wait_for (NULL, no_pending, &fixture, WAIT_MS));
  device_sync (other);
  name = head_name_of (other->repository, fixed);
  g_assert_cmpstr (name, ==, "Rahmat Hidayat");
  g_assert_cmpuint (pdm_sync_indicator_get_n_quarantined (indicator), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (indicator), "sync.history", NULL);
  history = PDM_SYNC_HISTORY_WINDOW (pdm_test_ui_find_window (fixture.ui.application,
                                                              PDM_TYPE_SYNC_HISTORY_WINDOW));
  g_assert_nonnull (history);
  /* Every run is listed, the enrollment too, and the refusals are counted. */
  g_assert_cmpuint (pdm_sync_history_window_get_n_items (history), ==,
                    count_history (&fixture) + 1);
  g_assert_cmpuint (count_history (&fixture), >=, 2);
  g_assert_cmpint (pdm_test_query_int (pdm_database_get_handle (pdm_application_get_database (
                                         fixture.ui.application)),
                                       "SELECT sum(refused) FROM sync_history"), ==, 2);
  pdm_test_ui_save_screenshot (GTK_WIDGET (history), "sync-history.png");

  gtk_window_destroy (GTK_WINDOW (history));
  gtk_window_destroy (GTK_WINDOW (quarantine));
  device_free (other);
  fixture_stop (&fixture);
}

static gint64
an_hour_ahead (gpointer user_data)
{
  return g_get_real_time () / 1000 + 60 * 60 * 1000;
}

/* A still popover paints once; the screenshot waits for two frames. */
static gboolean
keep_painting_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  gtk_widget_queue_draw (widget);

  return G_SOURCE_CONTINUE;
}

static void
test_clock_ahead_explained (void)
{
  Fixture fixture = { 0 };
  g_autofree char *clock_prefix = NULL;
  g_autofree char *id = NULL;
  PdmSyncIndicator *indicator;
  GtkMenuButton *button;
  GtkPopover *popover;
  const char *clock_message;
  guint tick_id;

  fixture_start_enrolled (&fixture);
  indicator = indicator_of (&fixture);

  /* No retry before the screenshots. */
  g_object_set (pdm_application_get_sync_scheduler (fixture.ui.application),
                "retry-initial-ms", 10 * 60 * 1000, NULL);
  pdm_hlc_set_clock_func (pdm_repository_get_hlc (repository_of (&fixture)), an_hour_ahead, NULL);
  id = save_household (&fixture, "Siti Aminah");
  wait_for_state (&fixture, PDM_SYNC_INDICATOR_ERROR);

  /* The whole explanation is in the popover, not cut short. */
  clock_message = _("The clock of this computer is wrong: its changes are dated %s, but the "
                    "server’s clock says %s. Set the correct date and time of this computer; "
                    "the changes stay here and are sent once its clock is right");
  clock_prefix = g_strndup (clock_message, strchr (clock_message, '%') - clock_message);
  g_assert_true (g_str_has_prefix (pdm_sync_indicator_get_detail (indicator), clock_prefix));
  g_assert_nonnull (strstr (pdm_sync_indicator_get_detail (indicator),
                            strrchr (clock_message, ';')));

  button = GTK_MENU_BUTTON (pdm_test_ui_get_child (indicator, "button"));
  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_true (pdm_test_wait_for (NULL, pdm_test_ui_window_is_mapped, &fixture.ui, WAIT_MS));
  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.ui.window), "sync-clock-error.png");
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (popover), keep_painting_cb, NULL, NULL);
  pdm_test_ui_save_screenshot (GTK_WIDGET (popover), "sync-indicator-popover.png");
  gtk_widget_remove_tick_callback (GTK_WIDGET (popover), tick_id);
  gtk_menu_button_popdown (button);

  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);
  /* The token goes to a file in the test's folder, never a real keyring. */
  g_setenv ("PENDAMPING_TOKEN_STORE", "file", TRUE);

  g_test_add_func ("/sync-ui/enroll-then-local-save-syncs", test_enroll_then_local_save_syncs);
  g_test_add_func ("/sync-ui/f5-syncs", test_f5_syncs);
  g_test_add_func ("/sync-ui/conflict-inbox", test_conflict_inbox);
  g_test_add_func ("/sync-ui/quarantine-and-history", test_quarantine_and_history);
  g_test_add_func ("/sync-ui/clock-ahead-explained", test_clock_ahead_explained);

  return g_test_run ();
}
