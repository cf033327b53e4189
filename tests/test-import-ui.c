/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pdm-csv.h"
#include "pdm-household-detail.h"
#include "pdm-household-page.h"
#include "pdm-import-window.h"
#include "pdm-proposal-editor.h"
#include "pdm-proposal-window.h"
#include "pdm-record-editor.h"
#include "pdm-record-item.h"
#include "pdm-record-list-model.h"
#include "pdm-rules.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"

#define WAIT_MS PDM_TEST_WAIT_MS
#define N_COLUMNS PDM_IMPORT_N_COLUMNS

/* Two households of Campago Ipuh, the test kelurahan; the last member's
 * NIK is cut short where a test wants an error. */
static const char *rows[][N_COLUMNS] = {
  { "1375021408220001", "DT-0001", "Masrizal", "Jl. Jenderal Sudirman No. 52", "4", "7",
    "Mandiangin Koto Selayan", "Campago Ipuh", "3", "BPNT",
    "1375023010910001", "Masrizal", "L", "Bukittinggi", "30/10/1991", "Kepala Keluarga", "" },
  { "1375021408220001", "DT-0001", "Masrizal", "Jl. Jenderal Sudirman No. 52", "4", "7",
    "Mandiangin Koto Selayan", "Campago Ipuh", "3", "BPNT",
    "1375024401940001", "Yusmaniar", "P", "Padang", "04/01/1994", "Istri", "" },
  { "1375021203150004", "DT-0002", "Syafri Yanto", "Jl. Soekarno-Hatta No. 12", "2", "14",
    "Mandiangin Koto Selayan", "Campago Ipuh", "2", "PKH",
    "1375021203700002", "Syafri Yanto", "L", "Bukittinggi", "12/03/1970", "Kepala Keluarga", "" },
};

/* A spreadsheet with the header row, then what @append_rows adds. */
static GFile *
write_file (const char *dir,
            const char *name,
            void      (*append_rows) (GString *out, gconstpointer data),
            gconstpointer data)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *header[N_COLUMNS];
  g_autoptr(GError) error = NULL;

  for (guint c = 0; c < N_COLUMNS; c++)
    header[c] = pdm_import_column_get_header (c);
  pdm_csv_append_row (out, header, N_COLUMNS, ';');
  append_rows (out, data);
  g_file_set_contents (path, out->str, out->len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
append_sample_rows (GString       *out,
                    gconstpointer  bad_nik)
{
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *row[N_COLUMNS];

      memcpy (row, rows[i], sizeof row);
      if (bad_nik != NULL && i == G_N_ELEMENTS (rows) - 1)
        row[PDM_IMPORT_COLUMN_NIK] = bad_nik;
      pdm_csv_append_row (out, row, N_COLUMNS, ';');
    }
}

static GFile *
write_dtsen_file (const char *dir,
                  const char *bad_nik)
{
  return write_file (dir, "dtsen.csv", append_sample_rows, bad_nik);
}

/* One-member households, as many as *@data says: a kelurahan's whole
 * extract. */
static void
append_many_rows (GString       *out,
                  gconstpointer  data)
{
  guint n_households = *(const guint *) data;

  for (guint i = 0; i < n_households; i++)
    {
      const char *row[N_COLUMNS];
      g_autofree char *kk = g_strdup_printf ("137502%010u", i + 1);
      g_autofree char *nik = g_strdup_printf ("1375021203%02u%04u", 60 + i / 9999, i % 9999 + 1);
      g_autofree char *birth_date = g_strdup_printf ("12/03/19%02u", 60 + i / 9999);

      memcpy (row, rows[2], sizeof row);
      row[PDM_IMPORT_COLUMN_KK_NUMBER] = kk;
      row[PDM_IMPORT_COLUMN_DTSEN_ID] = "";
      row[PDM_IMPORT_COLUMN_NIK] = nik;
      row[PDM_IMPORT_COLUMN_BIRTH_DATE] = birth_date;
      pdm_csv_append_row (out, row, N_COLUMNS, ';');
    }
}

static PdmHouseholdPage *
household_page (PdmTestUi *fixture)
{
  AdwViewStack *stack = ADW_VIEW_STACK (pdm_test_ui_get_child (fixture->window, "view_stack"));

  return PDM_HOUSEHOLD_PAGE (adw_view_stack_get_child_by_name (stack, "households"));
}

static gboolean
shows_report (gpointer data)
{
  GtkStack *stack = GTK_STACK (pdm_test_ui_get_child (data, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "report") == 0;
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The list has read its rows, and shows so many. */
static gboolean
n_listed_is (gpointer data)
{
  gpointer *args = data;
  GListModel *model = pdm_household_page_get_model (args[0]);

  return !pdm_record_list_model_is_loading (PDM_RECORD_LIST_MODEL (model)) &&
         g_list_model_get_n_items (model) == GPOINTER_TO_UINT (args[1]);
}

/* The households listed, once the list has read them. */
static guint
n_listed (PdmHouseholdPage *page)
{
  pdm_test_ui_wait_listed (pdm_household_page_get_model (page));

  return g_list_model_get_n_items (pdm_household_page_get_model (page));
}

static gboolean
file_has_text (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (data, &contents, NULL, NULL) && strstr (contents, "Syafri Yanto");
}

/* Ctrl+I, then the file as if chosen; returns once the report shows. */
static PdmImportWindow *
check_file (PdmTestUi *fixture,
            GFile     *file)
{
  PdmImportWindow *window;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.import", NULL));
  window = PDM_IMPORT_WINDOW (pdm_test_ui_find_window (fixture->application,
                                                       PDM_TYPE_IMPORT_WINDOW));
  g_assert_nonnull (window);
  pdm_import_window_check_file (window, file);
  g_assert_true (pdm_test_wait_for (NULL, shows_report, window, WAIT_MS));

  return window;
}

/* The titles of the rows of the list @name, one a line. */
static char *
list_text (PdmImportWindow *window,
           const char      *name)
{
  GtkWidget *list = GTK_WIDGET (pdm_test_ui_get_child (window, name));
  GString *text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row))
      g_string_append_printf (text, "%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  return g_string_free (text, FALSE);
}

static void
test_bad_row (void)
{
  PdmTestUi fixture = { 0 };
  PdmImportWindow *window;
  g_autoptr(GFile) file = NULL;
  g_autofree char *errors = NULL;
  GtkWidget *import_button;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  file = write_dtsen_file (fixture.data_dir, "13750212037000");
  window = check_file (&fixture, file);

  /* The header is row 1: the third member is on row 4. */
  errors = list_text (window, "errors_list");
  g_assert_nonnull (strstr (errors, "Baris 4, kolom NIK: "));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pdm_test_ui_get_child (window,
                                                                            "errors_group"))));
  import_button = GTK_WIDGET (pdm_test_ui_get_child (window, "import_button"));
  g_assert_false (gtk_widget_get_sensitive (import_button));
  /* Even asked, it imports nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "import.apply", NULL);
  g_assert_true (shows_report (window));
  g_assert_cmpuint (n_listed (household_page (&fixture)), ==, 0);

  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "import-report-error.png");
  gtk_window_destroy (GTK_WINDOW (window));
  pdm_test_ui_stop (&fixture);
}

static void
test_clean_import (void)
{
  PdmTestUi fixture = { 0 };
  PdmImportWindow *window;
  PdmHouseholdPage *page;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PdmRecordItem) first = NULL;
  gpointer args[2];
  const PdmImportReport *report;
  AdwActionRow *persons_row;
  g_autofree char *export_path = NULL;
  g_autoptr(GFile) export_file = NULL;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = household_page (&fixture);
  file = write_dtsen_file (fixture.data_dir, NULL);
  window = check_file (&fixture, file);

  report = pdm_import_window_get_report (window);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->households_created, ==, 2);
  g_assert_cmpuint (report->persons_created, ==, 3);
  persons_row = ADW_ACTION_ROW (pdm_test_ui_get_child (window, "persons_row"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (persons_row), "3 "));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (pdm_test_ui_get_child (window,
                                                                             "import_button"))));
  /* Checking saved nothing. */
  g_assert_cmpuint (n_listed (page), ==, 0);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "import.apply", NULL));
  g_assert_true (pdm_test_wait_for (NULL, window_gone, &window, WAIT_MS));

  args[0] = page;
  args[1] = GUINT_TO_POINTER (2);
  g_assert_true (pdm_test_wait_for (NULL, n_listed_is, args, WAIT_MS));
  first = g_list_model_get_item (pdm_household_page_get_model (page), 0);
  g_assert_cmpstr (pdm_record_item_get (first, "head_name"), ==, "Masrizal");

  /* Exported as the list shows them, they read back the same. */
  export_path = g_build_filename (fixture.data_dir, "export.csv", NULL);
  export_file = g_file_new_for_path (export_path);
  pdm_window_export_households (fixture.window, export_file);
  g_assert_true (pdm_test_wait_for (NULL, file_has_text, (gpointer) export_path, WAIT_MS));
  window = check_file (&fixture, export_file);
  report = pdm_import_window_get_report (window);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->households_unchanged, ==, 2);
  g_assert_cmpuint (report->persons_unchanged, ==, 3);
  gtk_window_destroy (GTK_WINDOW (window));

  pdm_test_ui_stop (&fixture);
}

static gboolean
is_busy (gpointer data)
{
  GtkStack *stack = GTK_STACK (pdm_test_ui_get_child (data, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "progress") == 0;
}

/* Cancel (or Escape) during the import stops it with nothing saved; the
 * report stays, to import again. */
static void
test_cancel_import (void)
{
  PdmTestUi fixture = { 0 };
  PdmImportWindow *window;
  g_autoptr(GFile) file = NULL;
  const guint n_households = 5000;
  sqlite3 *db;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  db = pdm_database_get_handle (pdm_application_get_database (fixture.application));
  file = write_file (fixture.data_dir, "dtsen-large.csv", append_many_rows, &n_households);
  window = check_file (&fixture, file);
  g_assert_cmpuint (pdm_import_window_get_report (window)->households_created, ==, n_households);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "import.apply", NULL));
  g_assert_true (is_busy (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "import.cancel", NULL));
  g_assert_true (pdm_test_wait_for (NULL, shows_report, window, WAIT_MS));

  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM household"), ==, 0);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM person"), ==, 0);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (pdm_test_ui_get_child (window,
                                                                             "import_button"))));

  gtk_window_destroy (GTK_WINDOW (window));
  pdm_test_ui_stop (&fixture);
}

static guint
n_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);

  return n;
}

static GtkWidget *
shown_proposals (PdmHouseholdPage *page)
{
  return GTK_WIDGET (pdm_test_ui_get_child (pdm_household_page_get_detail (page),
                                            "proposals_list"));
}

/* A PSM proposes a new address; the household keeps its own until a Dinas
 * computer approves, then has the new one. */
static void
test_proposal_approved (void)
{
  PdmTestUi fixture = { 0 };
  PdmRepository *repository;
  PdmHouseholdPage *page;
  g_autoptr(PdmRecord) household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(PdmRecord) stored = NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *editor;
  PdmProposalWindow *review;
  gpointer pointer;
  const PdmRecord *proposal;
  const char *new_address = "Jl. Perintis Kemerdekaan No. 7";
  g_autofree char *remembered = NULL;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  repository = pdm_application_get_repository (fixture.application);
  page = household_page (&fixture);
  pdm_record_set (household, "head_name", "Syafri Yanto");
  pdm_record_set (household, "kk_number", "1375021203150004");
  pdm_record_set (household, "address", "Jl. Soekarno-Hatta No. 12");
  pdm_record_set (household, "kelurahan_code", PDM_TEST_KELURAHAN);
  g_assert_true (pdm_rules_save (repository, household, NULL, NULL, &error));
  g_assert_no_error (error);
  pdm_application_records_changed (fixture.application, PDM_TABLE_HOUSEHOLD);
  pdm_household_page_show_household (page, household->id);
  g_assert_cmpuint (n_rows (shown_proposals (page)), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "household.propose", NULL));
  editor = pdm_test_ui_find_window (fixture.application, PDM_TYPE_PROPOSAL_EDITOR);
  g_assert_nonnull (editor);
  adw_combo_row_set_selected (ADW_COMBO_ROW (pdm_test_ui_get_child (editor, "field_row")), 3);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (pdm_test_ui_get_child (editor, "current_row"))),
                   ==, "Jl. Soekarno-Hatta No. 12");
  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (editor, "new_value_row")),
                         new_address);
  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (editor, "reason_row")),
                         "Pindah rumah sejak Oktober");

  /* Without the proposer's name the Dinas could not ask back: nothing saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (pdm_record_editor_get_error_message (PDM_RECORD_EDITOR (editor)));
  g_assert_true (strstr (pdm_record_editor_get_error_message (PDM_RECORD_EDITOR (editor)),
                         _("Proposed by")) != NULL);
  g_assert_cmpuint (n_rows (shown_proposals (page)), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (editor, "proposer_row")),
                         "Yusniar Hayati");
  pdm_test_ui_save_screenshot (GTK_WIDGET (editor), "proposal-editor.png");

  pointer = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), &pointer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  if (pointer != NULL)
    g_assert_null (pdm_record_editor_get_error_message (PDM_RECORD_EDITOR (editor)));
  g_assert_true (pdm_test_wait_for (NULL, window_gone, &pointer, WAIT_MS));

  /* Proposed, not applied; the next proposal starts with the same proposer. */
  g_assert_cmpuint (n_rows (shown_proposals (page)), ==, 1);
  remembered = g_settings_get_string (pdm_application_get_settings (fixture.application),
                                      "proposer-name");
  g_assert_cmpstr (remembered, ==, "Yusniar Hayati");
  g_assert_cmpstr (pdm_record_get (pdm_household_page_get_shown (page), "address"), ==,
                   "Jl. Soekarno-Hatta No. 12");
  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "household-detail-proposal.png");

  /* Only a Dinas computer reviews. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.proposals", NULL);
  g_assert_null (pdm_test_ui_find_window (fixture.application, PDM_TYPE_PROPOSAL_WINDOW));
  g_settings_set_boolean (pdm_application_get_settings (fixture.application), "dinas-mode", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.proposals", NULL));
  review = PDM_PROPOSAL_WINDOW (pdm_test_ui_find_window (fixture.application,
                                                         PDM_TYPE_PROPOSAL_WINDOW));
  g_assert_nonnull (review);
  g_assert_cmpuint (pdm_proposal_window_get_n_shown (review), ==, 1);
  pdm_test_ui_save_screenshot (GTK_WIDGET (review), "proposal-review.png");

  proposals = pdm_search_list_proposals (pdm_application_get_search (fixture.application),
                                         household->id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (proposals->len, ==, 1);
  proposal = g_ptr_array_index (proposals, 0);
  g_assert_cmpstr (pdm_record_get (proposal, "proposer"), ==, "Yusniar Hayati");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "proposal.approve", "s",
                                             proposal->id));

  stored = pdm_repository_get (repository, PDM_TABLE_HOUSEHOLD, household->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (stored, "address"), ==, new_address);
  g_clear_pointer (&stored, pdm_record_free);
  stored = pdm_repository_get (repository, PDM_TABLE_PROPOSAL, proposal->id, &error);
  g_assert_cmpstr (pdm_record_get (stored, "status"), ==, "disetujui");
  g_assert_cmpuint (pdm_proposal_window_get_n_shown (review), ==, 0);
  g_assert_cmpstr (pdm_record_get (pdm_household_page_get_shown (page), "address"), ==,
                   new_address);
  g_assert_cmpuint (n_rows (shown_proposals (page)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (review));
  pdm_test_ui_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);

  g_test_add_func ("/import-ui/bad-row", test_bad_row);
  g_test_add_func ("/import-ui/clean-file", test_clean_import);
  g_test_add_func ("/import-ui/cancel", test_cancel_import);
  g_test_add_func ("/import-ui/proposal-approved", test_proposal_approved);

  return g_test_run ();
}
