/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-households"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-household-detail.h"
#include "pdm-household-editor.h"
#include "pdm-household-page.h"
#include "pdm-person-editor.h"
#include "pdm-record-item.h"
#include "pdm-record-list-model.h"
#include "pdm-rules.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"

#define WAIT_MS PDM_TEST_WAIT_MS

static PdmHouseholdPage *
household_page (PdmTestUi *fixture)
{
  AdwViewStack *stack = ADW_VIEW_STACK (pdm_test_ui_get_child (fixture->window, "view_stack"));

  return PDM_HOUSEHOLD_PAGE (adw_view_stack_get_child_by_name (stack, "households"));
}

/* The households listed, once the list has read them. */
static guint
n_listed (PdmHouseholdPage *page)
{
  pdm_test_ui_wait_listed (pdm_household_page_get_model (page));

  return g_list_model_get_n_items (pdm_household_page_get_model (page));
}

/* Typing into a row, as a person would. */
static void
type_into (gpointer    editor,
           const char *row_name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (editor, row_name)), text);
}

static void
choose (gpointer    editor,
        const char *row_name,
        guint       position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (pdm_test_ui_get_child (editor, row_name)), position);
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

static GtkWindow *
open_new_household_editor (PdmTestUi *fixture)
{
  GtkWindow *editor;

  /* Ctrl+N */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new", NULL));
  editor = pdm_test_ui_find_window (fixture->application, PDM_TYPE_HOUSEHOLD_EDITOR);
  g_assert_nonnull (editor);

  return editor;
}

static GtkWindow *
open_new_member_editor (PdmTestUi        *fixture,
                        PdmHouseholdPage *page)
{
  GtkWindow *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "household.add-member", NULL));
  editor = pdm_test_ui_find_window (fixture->application, PDM_TYPE_PERSON_EDITOR);
  g_assert_nonnull (editor);

  return editor;
}

/* The members the detail lists, once it has read them. */
static GListModel *
shown_members (PdmHouseholdPage *page)
{
  GtkWidget *detail = pdm_household_page_get_detail (page);
  GListModel *members = pdm_household_detail_get_members (PDM_HOUSEHOLD_DETAIL (detail));

  pdm_test_ui_wait_listed (members);

  return members;
}

/* Straight through the rules, for tests about finding and deleting. */
static PdmRecord *
save_household (PdmTestUi  *fixture,
                const char *head_name,
                const char *kk_number,
                const char *address,
                const char *desil,
                const char *programs)
{
  PdmRecord *household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(GError) error = NULL;

  pdm_record_set (household, "head_name", head_name);
  pdm_record_set (household, "kk_number", kk_number);
  pdm_record_set (household, "address", address);
  pdm_record_set (household, "rt", "2");
  pdm_record_set (household, "rw", "4");
  pdm_record_set (household, "kelurahan_code", PDM_TEST_KELURAHAN);
  pdm_record_set (household, "desil", desil);
  pdm_record_set (household, "programs", programs);
  g_assert_true (pdm_rules_save (pdm_application_get_repository (fixture->application), household,
                                 NULL, NULL, &error));
  g_assert_no_error (error);

  return household;
}

static void
save_person (PdmTestUi       *fixture,
             const PdmRecord *household,
             const char      *full_name,
             const char      *nik,
             const char      *relationship)
{
  g_autoptr(PdmRecord) person = pdm_record_new (PDM_TABLE_PERSON);
  g_autoptr(GError) error = NULL;

  pdm_record_set (person, "household_id", household->id);
  pdm_record_set (person, "full_name", full_name);
  pdm_record_set (person, "nik", nik);
  pdm_record_set (person, "relationship", relationship);
  g_assert_true (pdm_rules_save (pdm_application_get_repository (fixture->application), person,
                                 NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_create_with_members (void)
{
  PdmTestUi fixture = { 0 };
  PdmHouseholdPage *page;
  GtkWindow *editor;
  const PdmRecord *shown;
  GListModel *members;
  g_autoptr(PdmRecordItem) first = NULL;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = household_page (&fixture);
  g_assert_cmpuint (n_listed (page), ==, 0);
  g_assert_cmpstr (pdm_household_page_get_state (page), ==, "empty");

  editor = open_new_household_editor (&fixture);
  type_into (editor, "head_name_row", "  Syafri   Yanto ");
  type_into (editor, "kk_number_row", "1375021203150004");
  type_into (editor, "address_row", "Jl. Soekarno-Hatta No. 12");
  type_into (editor, "rt_row", "2");
  type_into (editor, "rw_row", "14");
  choose (editor, "desil_row", 2);
  type_into (editor, "programs_row", "pkh, sembako");
  save_and_close (editor);

  /* The new household opens, normalised as the rules keep it. */
  g_assert_cmpstr (pdm_household_page_get_state (page), ==, "detail");
  shown = pdm_household_page_get_shown (page);
  g_assert_cmpstr (pdm_record_get (shown, "head_name"), ==, "Syafri Yanto");
  g_assert_cmpstr (pdm_record_get (shown, "kelurahan_code"), ==, PDM_TEST_KELURAHAN);
  g_assert_cmpstr (pdm_record_get (shown, "desil"), ==, "2");
  g_assert_cmpstr (pdm_record_get (shown, "programs"), ==, "BPNT,PKH");
  g_assert_cmpstr (pdm_record_get (shown, "rw"), ==, "014");

  editor = open_new_member_editor (&fixture, page);
  type_into (editor, "full_name_row", "Syafri Yanto");
  type_into (editor, "nik_row", "1375021203700002");
  choose (editor, "relationship_row", 0);   /* Kepala Keluarga */
  save_and_close (editor);

  editor = open_new_member_editor (&fixture, page);
  type_into (editor, "full_name_row", "Yusmaniar");
  type_into (editor, "nik_row", "1375024401940001");
  type_into (editor, "birth_date_row", "04/01/1994");
  choose (editor, "relationship_row", 2);   /* Istri */
  save_and_close (editor);

  members = shown_members (page);
  g_assert_cmpuint (g_list_model_get_n_items (members), ==, 2);
  first = g_list_model_get_item (members, 0);
  g_assert_cmpstr (pdm_record_item_get (first, "full_name"), ==, "Syafri Yanto");
  g_assert_cmpstr (pdm_record_item_get (first, "relationship"), ==, "Kepala Keluarga");

  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "household-detail.png");

  /* Escape goes back to the list, which already holds the household. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "list.back", NULL));
  g_assert_cmpuint (n_listed (page), ==, 1);
  g_assert_cmpstr (pdm_household_page_get_state (page), ==, "list");

  pdm_test_ui_stop (&fixture);
}

typedef struct
{
  PdmHouseholdPage *page;
  const char       *text;
} SearchWait;

static gboolean
searching_for (gpointer data)
{
  SearchWait *wait = data;
  GListModel *model = pdm_household_page_get_model (wait->page);
  const char *text = pdm_record_list_model_get_query (PDM_RECORD_LIST_MODEL (model))->text;

  return g_strcmp0 (text, *wait->text != '\0' ? wait->text : NULL) == 0;
}

/* Types into the search entry, waits out its delay and the search, and
 * checks how many households it found. */
static void
search_for (PdmHouseholdPage *page,
            const char       *text,
            guint             expected)
{
  SearchWait wait = { page, text };

  /* Ctrl+F */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "list.find", NULL));
  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (page, "search_entry")), text);
  g_assert_true (pdm_test_wait_for (NULL, searching_for, &wait, WAIT_MS));
  g_assert_cmpuint (n_listed (page), ==, expected);
}

static void
add_sample_households (PdmTestUi *fixture)
{
  g_autoptr(PdmRecord) a = NULL;
  g_autoptr(PdmRecord) b = NULL;
  g_autoptr(PdmRecord) c = NULL;
  g_autoptr(PdmRecord) d = NULL;
  g_autoptr(PdmRecord) e = NULL;

  a = save_household (fixture, "Siti Aminah", "1375021203150004", "Jl. Soekarno-Hatta No. 12",
                      "1", "PKH, BPNT");
  save_person (fixture, a, "Siti Aminah", "1375024401940001", "Kepala Keluarga");
  b = save_household (fixture, "Rahmat Hidayat", "1375020805120003", "Jl. Raya Bukittinggi-Medan",
                      "2", "BPNT");
  save_person (fixture, b, "Rahmat Hidayat", "1375021203700002", "Kepala Keluarga");
  c = save_household (fixture, "Nurhayati", "1375021709180001", "Lorong Kampung Jambak", "3",
                      "PBI-JK");
  d = save_household (fixture, "Zulkifli Datuak Bandaro", "1375020101200002",
                      "Jl. Perintis Kemerdekaan No. 45", "1", "PKH, BPNT, PBI-JK");
  e = save_household (fixture, "Yusmaniar", "1375022206190005", "Jl. Ahmad Yani, Gang Mawar 3",
                      "4", NULL);
  pdm_application_records_changed (fixture->application, PDM_TABLE_HOUSEHOLD);
}

static void
test_search (void)
{
  PdmTestUi fixture = { 0 };
  PdmHouseholdPage *page;
  g_autoptr(PdmRecordItem) found = NULL;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = household_page (&fixture);
  add_sample_households (&fixture);
  g_assert_cmpuint (n_listed (page), ==, 5);

  /* The widest and the narrowest screens of the kelurahan offices. */
  pdm_test_ui_set_window_size (GTK_WINDOW (fixture.window), 1024, 600);
  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "household-list-1024.png");
  pdm_test_ui_set_window_size (GTK_WINDOW (fixture.window), 1366, 768);
  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "household-list.png");

  /* The start of words, in any case. */
  search_for (page, "sit am", 1);
  found = g_list_model_get_item (pdm_household_page_get_model (page), 0);
  g_assert_cmpstr (pdm_record_item_get (found, "head_name"), ==, "Siti Aminah");
  g_clear_object (&found);

  /* A member's NIK finds the household. */
  search_for (page, "1375021203700002", 1);
  found = g_list_model_get_item (pdm_household_page_get_model (page), 0);
  g_assert_cmpstr (pdm_record_item_get (found, "head_name"), ==, "Rahmat Hidayat");

  search_for (page, "Tidak Ada Nama Begini", 0);
  g_assert_cmpstr (pdm_household_page_get_state (page), ==, "no-results");

  search_for (page, "", 5);
  g_assert_cmpstr (pdm_household_page_get_state (page), ==, "list");

  pdm_test_ui_stop (&fixture);
}

static void
test_wrong_nik_refused (void)
{
  PdmTestUi fixture = { 0 };
  PdmHouseholdPage *page;
  g_autoptr(PdmRecord) household = NULL;
  GtkWindow *editor;
  GtkWidget *nik_row;
  GListModel *members;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 1024, 600);
  page = household_page (&fixture);
  household = save_household (&fixture, "Siti Aminah", "1375021203150004", "Jl. Sudirman 5", "1",
                              "PKH");
  pdm_application_records_changed (fixture.application, PDM_TABLE_HOUSEHOLD);
  pdm_household_page_show_household (page, household->id);

  editor = open_new_member_editor (&fixture, page);
  type_into (editor, "full_name_row", "Yusmaniar");
  /* Day 99: no one is born on it, man or woman. */
  type_into (editor, "nik_row", "1375029913800001");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  /* Refused, in Indonesian, under the NIK row; the editor stays open. */
  g_assert_true (pdm_test_ui_find_window (fixture.application, PDM_TYPE_PERSON_EDITOR) == editor);
  g_assert_cmpstr (pdm_record_editor_get_error_field (PDM_RECORD_EDITOR (editor)), ==, "nik");
  g_assert_nonnull (strstr (pdm_record_editor_get_error_message (PDM_RECORD_EDITOR (editor)),
                            "tidak memuat tanggal lahir"));
  nik_row = GTK_WIDGET (pdm_test_ui_get_child (editor, "nik_row"));
  g_assert_true (gtk_widget_has_css_class (nik_row, "error"));

  members = shown_members (page);
  g_assert_cmpuint (g_list_model_get_n_items (members), ==, 0);

  pdm_test_ui_save_screenshot (GTK_WIDGET (editor), "member-editor-error.png");

  /* Fixing the NIK takes the mark away. */
  type_into (editor, "nik_row", "1375024401940001");
  g_assert_false (gtk_widget_has_css_class (nik_row, "error"));

  pdm_test_ui_stop (&fixture);
}

static void
test_delete_and_undo (void)
{
  PdmTestUi fixture = { 0 };
  PdmHouseholdPage *page;
  GtkSelectionModel *selection;
  AdwToast *toast;
  g_autoptr(PdmRecord) household = NULL;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = household_page (&fixture);
  add_sample_households (&fixture);
  search_for (page, "Nurhayati", 1);

  selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (pdm_test_ui_get_child (page,
                                                                                 "column_view")));
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  /* The Delete key */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "list.delete", NULL));
  g_assert_cmpuint (n_listed (page), ==, 0);

  toast = pdm_household_page_get_undo_toast (page);
  g_assert_nonnull (toast);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (page),
                                                     adw_toast_get_action_name (toast),
                                                     adw_toast_get_action_target_value (toast)));
  g_assert_cmpuint (n_listed (page), ==, 1);

  search_for (page, "", 5);

  pdm_test_ui_stop (&fixture);
}

static void
test_first_run_chooser (void)
{
  PdmTestUi fixture = { 0 };
  GSettings *settings;
  GObject *chooser;
  GtkWindow *editor;
  PdmRecordListModel *model;
  g_autofree char *code = NULL;

  pdm_test_ui_start (&fixture, NULL, NULL);
  settings = pdm_application_get_settings (fixture.application);
  g_assert_cmpstr (pdm_window_get_visible_page (fixture.window), ==, "first-run");

  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "first-run.png");

  /* Pakan Kurai, Kecamatan Guguak Panjang */
  chooser = pdm_test_ui_get_child (fixture.window, "kelurahan_chooser");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chooser), "chooser.choose", "s",
                                             "13.75.01.1003"));
  code = g_settings_get_string (settings, "kelurahan-code");
  g_assert_cmpstr (code, ==, "13.75.01.1003");
  g_assert_false (g_settings_get_boolean (settings, "dinas-mode"));
  g_assert_cmpstr (pdm_window_get_visible_page (fixture.window), ==, "households");

  /* The list shows that kelurahan, and a new household belongs to it. */
  model = PDM_RECORD_LIST_MODEL (pdm_household_page_get_model (household_page (&fixture)));
  g_assert_cmpstr (pdm_record_list_model_get_query (model)->kelurahan_code, ==, "13.75.01.1003");
  editor = open_new_household_editor (&fixture);
  g_assert_cmpstr (pdm_record_get (pdm_record_editor_get_record (PDM_RECORD_EDITOR (editor)),
                                   "kelurahan_code"), ==, "13.75.01.1003");

  pdm_test_ui_stop (&fixture);
}

/* More households than a list reads with its count (three pages of a
 * hundred rows). */
#define N_LONG_LIST 350

static gboolean
view_shows_list (gpointer view)
{
  return gtk_column_view_get_model (view) != NULL;
}

/* Rows far down show once they are read, the Members column counts each
 * household's members, and a write refreshes the rows where they are. */
static void
test_long_list (void)
{
  PdmTestUi fixture = { 0 };
  PdmRepository *repository;
  PdmHouseholdPage *page;
  GListModel *model;
  GtkColumnView *view;
  GtkSingleSelection *selection;
  g_autoptr(PdmRecord) first = NULL;
  g_autoptr(PdmRecordItem) top = NULL;
  g_autoptr(PdmRecordItem) far = NULL;
  g_autoptr(GError) error = NULL;
  const char *count;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = household_page (&fixture);
  model = pdm_household_page_get_model (page);
  repository = pdm_application_get_repository (fixture.application);

  g_assert_true (pdm_repository_begin (repository, &error));
  for (guint i = 1; i <= N_LONG_LIST; i++)
    {
      g_autofree char *name = g_strdup_printf ("Warga %04u", i);
      g_autofree char *kk_number = g_strdup_printf ("1375021203%06u", i);
      g_autoptr(PdmRecord) household = save_household (&fixture, name, kk_number,
                                                       "Jl. Sudirman 5", "1", NULL);

      if (i == 1)
        first = g_steal_pointer (&household);
    }
  g_assert_true (pdm_repository_commit (repository, &error));
  g_assert_no_error (error);
  save_person (&fixture, first, "Warga Satu", "1375024401940001", "Kepala Keluarga");
  save_person (&fixture, first, "Anak Warga Satu", "1375021203700002", "Anak");
  pdm_application_records_changed (fixture.application, PDM_TABLE_HOUSEHOLD);

  g_assert_cmpuint (n_listed (page), ==, N_LONG_LIST);
  count = gtk_label_get_label (GTK_LABEL (pdm_test_ui_get_child (page, "count_label")));
  g_assert_cmpstr (count, ==, "350 rumah tangga");
  top = g_list_model_get_item (model, 0);
  g_assert_cmpstr (pdm_record_item_get (top, "head_name"), ==, "Warga 0001");
  g_assert_cmpint (pdm_record_item_get_n_members (top), ==, 2);

  /* Not read with the count: empty until its page is. */
  far = g_list_model_get_item (model, N_LONG_LIST - 1);
  g_assert_null (pdm_record_item_get_record (far));
  pdm_test_ui_wait_listed (model);
  g_assert_cmpstr (pdm_record_item_get (far, "head_name"), ==, "Warga 0350");

  /* Renamed, by this computer or by sync: the selected row stays selected
   * and shows the new name. */
  view = GTK_COLUMN_VIEW (pdm_test_ui_get_child (page, "column_view"));
  g_assert_true (pdm_test_wait_for (NULL, view_shows_list, view, WAIT_MS));
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  gtk_single_selection_set_selected (selection, 0);
  pdm_record_set (first, "head_name", "Warga 0001 Baru");
  g_assert_true (pdm_rules_save (repository, first, NULL, NULL, &error));
  g_assert_no_error (error);
  pdm_application_records_changed (fixture.application, PDM_TABLE_HOUSEHOLD);
  g_assert_cmpuint (n_listed (page), ==, N_LONG_LIST);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == (gpointer) top);
  g_assert_cmpstr (pdm_record_item_get (top, "head_name"), ==, "Warga 0001 Baru");

  pdm_test_ui_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/households/create-with-members", test_create_with_members);
  g_test_add_func ("/ui/households/search", test_search);
  g_test_add_func ("/ui/households/wrong-nik", test_wrong_nik_refused);
  g_test_add_func ("/ui/households/delete-undo", test_delete_and_undo);
  g_test_add_func ("/ui/households/first-run", test_first_run_chooser);
  g_test_add_func ("/ui/households/long-list", test_long_list);

  return g_test_run ();
}
