/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-registry"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pdm-household-detail.h"
#include "pdm-household-page.h"
#include "pdm-record-item.h"
#include "pdm-record-list-model.h"
#include "pdm-test-ui.h"
#include "pdm-training.h"
#include "pdm-test-util.h"
#include "pdm-visit-editor.h"
#include "pdm-visit-page.h"
#include "pdm-volunteer-editor.h"
#include "pdm-volunteer-page.h"

#define WAIT_MS PDM_TEST_WAIT_MS

static GtkWidget *
show_page (PdmTestUi  *fixture,
           const char *name)
{
  AdwViewStack *stack = ADW_VIEW_STACK (pdm_test_ui_get_child (fixture->window, "view_stack"));

  /* Alt+number */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             name));
  g_assert_cmpstr (pdm_window_get_visible_page (fixture->window), ==, name);

  return adw_view_stack_get_child_by_name (stack, name);
}

/* Typing into a row, as a person would. */
static void
type_into (gpointer    editor,
           const char *row_name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (editor, row_name)), text);
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Save; the editor must close, having saved. */
static void
save_and_close (GtkWindow *editor)
{
  gpointer pointer = editor;

  g_object_add_weak_pointer (G_OBJECT (editor), &pointer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  if (pointer != NULL)
    g_assert_null (pdm_record_editor_get_error_message (PDM_RECORD_EDITOR (editor)));
  g_assert_true (pdm_test_wait_for (NULL, window_gone, &pointer, WAIT_MS));
}

/* Ctrl+N on the page that shows. */
static GtkWindow *
open_new_editor (PdmTestUi *fixture,
                 GType      type)
{
  GtkWindow *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new", NULL));
  editor = pdm_test_ui_find_window (fixture->application, type);
  g_assert_nonnull (editor);

  return editor;
}

typedef struct
{
  GListModel *model;
  guint       expected;
} ListWait;

static gboolean
listed (gpointer data)
{
  ListWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->expected;
}

/* The rows of one of the app's lists, once it has read them. */
static guint
n_listed (GListModel *model)
{
  pdm_test_ui_wait_listed (model);

  return g_list_model_get_n_items (model);
}

typedef struct
{
  GListModel *model;
  const char *text;
} SearchWait;

static gboolean
searching_for (gpointer data)
{
  SearchWait *wait = data;
  const char *text = pdm_record_list_model_get_query (PDM_RECORD_LIST_MODEL (wait->model))->text;

  return g_strcmp0 (text, *wait->text != '\0' ? wait->text : NULL) == 0;
}

/* Ctrl+F, then typing @text; once the search ran, @expected rows are
 * listed. */
static void
search_for (GtkWidget  *page,
            GListModel *model,
            const char *text,
            guint       expected)
{
  SearchWait wait = { model, text };

  g_assert_true (gtk_widget_activate_action (page, "list.find", NULL));
  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (page, "search_entry")), text);
  g_assert_true (pdm_test_wait_for (NULL, searching_for, &wait, WAIT_MS));
  g_assert_cmpuint (n_listed (model), ==, expected);
}

static void
fill_volunteer (GtkWindow  *editor,
                const char *phone)
{
  type_into (editor, "full_name_row", "  Rahmi   Yulianti ");
  type_into (editor, "nik_row", "1375024512800001");
  adw_combo_row_set_selected (ADW_COMBO_ROW (pdm_test_ui_get_child (editor, "sex_row")), 2);
  type_into (editor, "birth_place_row", "Bukittinggi");
  type_into (editor, "birth_date_row", "05/12/1980");
  type_into (editor, "phone_row", phone);
  type_into (editor, "address_row", "Jl. Sudirman 5");
  type_into (editor, "education_row", "SMA");
  type_into (editor, "occupation_row", "Wiraswasta");
  type_into (editor, "joined_date_row", "02/01/2020");
  type_into (editor, "sk_number_row", "460/12/DINSOS-BKT/2020");
  type_into (editor, "sk_date_row", "15/01/2020");
}

static void
test_add_volunteer (void)
{
  PdmTestUi fixture = { 0 };
  PdmVolunteerPage *page;
  GtkWindow *editor;
  const PdmRecord *shown;
  g_autoptr(PdmRecordItem) found = NULL;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = PDM_VOLUNTEER_PAGE (show_page (&fixture, "volunteers"));
  pdm_test_ui_wait_listed (pdm_volunteer_page_get_model (page));
  g_assert_cmpstr (pdm_volunteer_page_get_state (page), ==, "empty");

  editor = open_new_editor (&fixture, PDM_TYPE_VOLUNTEER_EDITOR);
  fill_volunteer (editor, "0812 6612 3456");
  save_and_close (editor);

  /* The new volunteer shows, normalised as the rules keep it. */
  g_assert_cmpstr (pdm_volunteer_page_get_state (page), ==, "detail");
  shown = pdm_volunteer_page_get_shown (page);
  g_assert_cmpstr (pdm_record_get (shown, "full_name"), ==, "Rahmi Yulianti");
  g_assert_cmpstr (pdm_record_get (shown, "phone"), ==, "081266123456");
  g_assert_cmpstr (pdm_record_get (shown, "kelurahan_code"), ==, PDM_TEST_KELURAHAN);
  g_assert_cmpstr (pdm_record_get (shown, "sk_date"), ==, "2020-01-15");
  g_assert_cmpstr (pdm_record_get (shown, "status"), ==, "aktif");

  /* Ctrl+F goes back to the list, where the volunteer is found. */
  search_for (GTK_WIDGET (page), pdm_volunteer_page_get_model (page), "yuli", 1);
  g_assert_cmpstr (pdm_volunteer_page_get_state (page), ==, "list");
  found = g_list_model_get_item (pdm_volunteer_page_get_model (page), 0);
  g_assert_cmpstr (pdm_record_item_get (found, "full_name"), ==, "Rahmi Yulianti");
  search_for (GTK_WIDGET (page), pdm_volunteer_page_get_model (page), "1375024512", 1);
  search_for (GTK_WIDGET (page), pdm_volunteer_page_get_model (page), "budi", 0);
  g_assert_cmpstr (pdm_volunteer_page_get_state (page), ==, "no-results");
  search_for (GTK_WIDGET (page), pdm_volunteer_page_get_model (page), "", 1);

  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "volunteer-list.png");

  pdm_test_ui_stop (&fixture);
}

/* The titles and subtitles of the rows of @list, one row a line. */
static char *
rows_text (GtkWidget *list)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (text, "%s | %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));

  return g_string_free (text, FALSE);
}

/* A PSM's detail lists the trainings taken, with the sessions attended,
 * and follows a check-in made elsewhere. */
static void
test_volunteer_training_history (void)
{
  PdmTestUi fixture = { 0 };
  PdmVolunteerPage *page;
  PdmRepository *repository;
  g_autoptr(PdmRecord) volunteer = NULL;
  g_autoptr(PdmRecord) training = NULL;
  g_autoptr(PdmRecord) first = NULL;
  g_autoptr(PdmRecord) second = NULL;
  g_autoptr(PdmRecord) participant = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *attended = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *history;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  repository = pdm_application_get_repository (fixture.application);
  page = PDM_VOLUNTEER_PAGE (show_page (&fixture, "volunteers"));
  volunteer = pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER,
                                       "full_name", "Rahmi Yulianti",
                                       "kelurahan_code", PDM_TEST_KELURAHAN,
                                       "status", "aktif", NULL);
  pdm_volunteer_page_show_volunteer (page, volunteer->id);
  history = GTK_WIDGET (pdm_test_ui_get_child (page, "history_list"));
  before = rows_text (history);
  g_assert_nonnull (strstr (before, _("No trainings yet")));

  training = pdm_test_ui_save_record (&fixture, PDM_TABLE_TRAINING,
                                      "title", "Pelatihan Dasar PSM",
                                      "start_date", "2025-11-24", NULL);
  first = pdm_test_ui_save_record (&fixture, PDM_TABLE_TRAINING_SESSION,
                                   "training_id", training->id, "topic", "Tugas PSM",
                                   "position", "1", NULL);
  second = pdm_test_ui_save_record (&fixture, PDM_TABLE_TRAINING_SESSION,
                                    "training_id", training->id, "topic", "DTSEN",
                                    "position", "2", NULL);
  participant = pdm_training_add_participant (repository, training->id, volunteer->id, &error);
  g_assert_no_error (error);
  g_assert_true (pdm_training_set_attendance (repository, second->id, participant->id, TRUE,
                                              &error));
  g_assert_no_error (error);
  pdm_application_records_changed (fixture.application, PDM_TABLE_ATTENDANCE);

  after = rows_text (history);
  /* The catalogue's words, as the user reads them. */
  attended = g_strdup_printf (ngettext ("%s · present at %u of %u session",
                                        "%s · present at %u of %u sessions", 2),
                              "24 November 2025", 1, 2);
  expected = g_strdup_printf ("Pelatihan Dasar PSM | %s\n", attended);
  g_assert_cmpstr (after, ==, expected);

  pdm_test_ui_stop (&fixture);
}

static void
test_wrong_phone_refused (void)
{
  PdmTestUi fixture = { 0 };
  PdmVolunteerPage *page;
  GtkWindow *editor;
  GtkWidget *phone_row;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = PDM_VOLUNTEER_PAGE (show_page (&fixture, "volunteers"));

  editor = open_new_editor (&fixture, PDM_TYPE_VOLUNTEER_EDITOR);
  fill_volunteer (editor, "0812-66x2-3456");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  /* Refused, in Indonesian, under the phone row; the editor stays open. */
  g_assert_true (pdm_test_ui_find_window (fixture.application, PDM_TYPE_VOLUNTEER_EDITOR) == editor);
  g_assert_cmpstr (pdm_record_editor_get_error_field (PDM_RECORD_EDITOR (editor)), ==, "phone");
  g_assert_nonnull (strstr (pdm_record_editor_get_error_message (PDM_RECORD_EDITOR (editor)),
                            "hanya boleh berisi angka"));
  phone_row = GTK_WIDGET (pdm_test_ui_get_child (editor, "phone_row"));
  g_assert_true (gtk_widget_has_css_class (phone_row, "error"));
  pdm_test_ui_save_screenshot (GTK_WIDGET (editor), "volunteer-editor-error.png");

  /* Nothing was saved. */
  g_assert_cmpint (pdm_test_query_int (pdm_database_get_handle (pdm_repository_get_database (
                     pdm_application_get_repository (fixture.application))),
                   "SELECT count(*) FROM volunteer"), ==, 0);
  g_assert_cmpuint (n_listed (pdm_volunteer_page_get_model (page)), ==, 0);

  gtk_window_destroy (editor);
  pdm_test_ui_stop (&fixture);
}

static void
test_visit_from_household (void)
{
  PdmTestUi fixture = { 0 };
  g_autoptr(PdmRecord) household = NULL;
  g_autoptr(PdmRecord) volunteer = NULL;
  g_autoptr(PdmRecordItem) item = NULL;
  PdmHouseholdPage *households;
  PdmVisitPage *visits;
  GListModel *history;
  GListModel *offered;
  GtkWindow *editor;
  GtkSelectionModel *selection;
  GtkListBox *household_list;
  AdwToast *toast;
  ListWait wait;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  household = pdm_test_ui_save_record (&fixture, PDM_TABLE_HOUSEHOLD,
                                       "head_name", "Siti Aminah",
                                       "kk_number", "1375021203150004",
                                       "address", "Jl. Sudirman 5",
                                       "kelurahan_code", PDM_TEST_KELURAHAN, "desil", "1", NULL);
  pdm_record_free (pdm_test_ui_save_record (&fixture, PDM_TABLE_HOUSEHOLD,
                                            "head_name", "Nurhayati",
                                            "kk_number", "1375021203150005",
                                            "kelurahan_code", PDM_TEST_KELURAHAN, NULL));
  volunteer = pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER,
                                       "full_name", "Rahmi Yulianti",
                                       "kelurahan_code", PDM_TEST_KELURAHAN, NULL);

  /* From the household's detail view, the household is the visit's. */
  households = PDM_HOUSEHOLD_PAGE (show_page (&fixture, "households"));
  pdm_household_page_show_household (households, household->id);
  history = pdm_household_detail_get_visits (
    PDM_HOUSEHOLD_DETAIL (pdm_household_page_get_detail (households)));
  g_assert_cmpuint (n_listed (history), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (households), "household.add-visit", NULL));
  editor = pdm_test_ui_find_window (fixture.application, PDM_TYPE_VISIT_EDITOR);
  g_assert_nonnull (editor);
  offered = pdm_visit_editor_get_households (PDM_VISIT_EDITOR (editor));
  item = g_list_model_get_item (offered, 0);
  g_assert_cmpstr (pdm_record_item_get_id (item), ==, household->id);
  g_clear_object (&item);

  adw_combo_row_set_selected (ADW_COMBO_ROW (pdm_test_ui_get_child (editor, "kind_row")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (pdm_test_ui_get_child (editor, "volunteer_row")), 1);
  type_into (editor, "findings_row", "Atap bocor, anak kedua putus sekolah");
  type_into (editor, "follow_up_date_row", "15/01/2099");
  type_into (editor, "outcome_row", "Dirujuk ke Dinas Pendidikan");
  pdm_test_ui_save_screenshot (GTK_WIDGET (editor), "visit-editor.png");
  save_and_close (editor);

  /* In the detail's history ... */
  g_assert_cmpuint (n_listed (history), ==, 1);
  item = g_list_model_get_item (history, 0);
  g_assert_cmpstr (pdm_record_item_get (item, "kind"), ==, "groundcheck");
  g_assert_cmpstr (pdm_record_item_get (item, "volunteer_id"), ==, volunteer->id);
  g_assert_cmpstr (pdm_record_item_get (item, "follow_up_date"), ==, "2099-01-15");
  g_assert_nonnull (pdm_record_item_get (item, "visit_date"));
  g_clear_object (&item);
  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "household-detail-visits.png");

  /* ... and in the visit page. */
  visits = PDM_VISIT_PAGE (show_page (&fixture, "visits"));
  g_assert_cmpuint (n_listed (pdm_visit_page_get_model (visits)), ==, 1);
  g_assert_cmpstr (pdm_visit_page_get_state (visits), ==, "list");

  /* A visit from the visit page picks its household from a search. */
  editor = open_new_editor (&fixture, PDM_TYPE_VISIT_EDITOR);
  offered = pdm_visit_editor_get_households (PDM_VISIT_EDITOR (editor));
  type_into (editor, "household_entry", "nurha");
  wait = (ListWait) { offered, 1 };
  g_assert_true (pdm_test_wait_for (NULL, listed, &wait, WAIT_MS));
  household_list = GTK_LIST_BOX (pdm_test_ui_get_child (editor, "household_list"));
  g_signal_emit_by_name (household_list, "row-activated",
                         gtk_list_box_get_row_at_index (household_list, 0));
  save_and_close (editor);
  g_assert_cmpuint (n_listed (pdm_visit_page_get_model (visits)), ==, 2);
  g_assert_cmpuint (n_listed (history), ==, 1);
  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "visit-list.png");

  /* Deleting the first visit takes it from both lists; Undo brings it back. */
  selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (pdm_test_ui_get_child (visits,
                                                                                 "column_view")));
  item = g_list_model_get_item (G_LIST_MODEL (selection), 1);
  g_assert_cmpstr (pdm_record_item_get (item, "household_id"), ==, household->id);
  g_assert_true (gtk_selection_model_select_item (selection, 1, TRUE));
  /* The Delete key */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (visits), "list.delete", NULL));
  g_assert_cmpuint (n_listed (pdm_visit_page_get_model (visits)), ==, 1);
  g_assert_cmpuint (n_listed (history), ==, 0);

  toast = pdm_visit_page_get_undo_toast (visits);
  g_assert_nonnull (toast);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (visits),
                                                     adw_toast_get_action_name (toast),
                                                     adw_toast_get_action_target_value (toast)));
  g_assert_cmpuint (n_listed (pdm_visit_page_get_model (visits)), ==, 2);
  g_assert_cmpuint (n_listed (history), ==, 1);

  pdm_test_ui_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/registry/add-volunteer", test_add_volunteer);
  g_test_add_func ("/ui/registry/wrong-phone", test_wrong_phone_refused);
  g_test_add_func ("/ui/registry/volunteer-training-history", test_volunteer_training_history);
  g_test_add_func ("/ui/registry/visit-from-household", test_visit_from_household);

  return g_test_run ();
}
