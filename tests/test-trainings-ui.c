/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-trainings-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gdk/x11/gdkx.h>

#include "pdm-checkin-window.h"
#include "pdm-form-window.h"
#include "pdm-participant-picker.h"
#include "pdm-report-window.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"
#include "pdm-training-editor.h"
#include "pdm-training-page.h"
#include "pdm-training.h"
#include "pdm-volunteer-editor.h"

#define WAIT_MS PDM_TEST_WAIT_MS

static PdmRepository *
repository_of (PdmTestUi *fixture)
{
  return pdm_application_get_repository (fixture->application);
}

static gint64
count_rows (PdmTestUi  *fixture,
            const char *sql)
{
  return pdm_test_query_int (pdm_database_get_handle (pdm_repository_get_database (
                               repository_of (fixture))), sql);
}

/* Alt+4 */
static PdmTrainingPage *
show_trainings (PdmTestUi *fixture)
{
  AdwViewStack *stack = ADW_VIEW_STACK (pdm_test_ui_get_child (fixture->window, "view_stack"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             "trainings"));
  g_assert_cmpstr (pdm_window_get_visible_page (fixture->window), ==, "trainings");

  return PDM_TRAINING_PAGE (adw_view_stack_get_child_by_name (stack, "trainings"));
}

static void
type_into (GtkEditable *editable,
           const char  *text)
{
  gtk_editable_set_text (editable, text);
}

/* The rows of @list a person sees: not hidden by its filter. */
static guint
n_shown_rows (GtkListBox *list)
{
  guint n = 0;

  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (gtk_list_box_get_row_at_index (list, i))))
      n++;

  return n;
}

static GtkListBoxRow *
shown_row_titled (GtkListBox *list,
                  const char *title_part)
{
  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (gtk_widget_get_child_visible (GTK_WIDGET (row)) && ADW_IS_PREFERENCES_ROW (row) &&
          strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title_part) != NULL)
        return row;
    }

  return NULL;
}

typedef struct
{
  GtkListBox *list;
  guint       n_rows;
  const char *title_part;
} RowsWait;

static gboolean
rows_shown (gpointer data)
{
  RowsWait *wait = data;

  return n_shown_rows (wait->list) == wait->n_rows &&
         (wait->n_rows == 0 || shown_row_titled (wait->list, wait->title_part) != NULL);
}

/* Typing @text in a search; once it ran, @n_rows rows show, one of them
 * titled with @title_part. */
static void
search_for (gpointer    window,
            GtkListBox *list,
            const char *text,
            guint       n_rows,
            const char *title_part)
{
  RowsWait wait = { list, n_rows, title_part };

  type_into (GTK_EDITABLE (pdm_test_ui_get_child (window, "search_entry")), text);
  g_assert_true (pdm_test_wait_for (NULL, rows_shown, &wait, WAIT_MS));
}

static const char *
label_text (gpointer    widget,
            const char *name)
{
  return gtk_label_get_label (GTK_LABEL (pdm_test_ui_get_child (widget, name)));
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_label_reading (GtkWidget     *widget,
                  gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

typedef struct
{
  PdmTrainingPage *page;
  const char      *name;
  const char      *text;
} AttendanceWait;

/* The page's row of participant @name says @text after the name. */
static gboolean
attendance_shown (gpointer data)
{
  AttendanceWait *wait = data;
  GtkWidget *group = GTK_WIDGET (pdm_test_ui_get_child (wait->page, "participants_group"));
  GtkWidget *row = pdm_test_ui_find_widget (group, is_row_titled, wait->name);

  return row != NULL && pdm_test_ui_find_widget (row, is_label_reading, wait->text) != NULL;
}

static gboolean
training_selected (gpointer data)
{
  return pdm_training_page_get_selected_id (data) != NULL;
}

/* The Pelatihan Dasar PSM, its two sessions through the rules. */
static PdmRecord *
add_training (PdmTestUi *fixture)
{
  PdmRecord *training = pdm_test_ui_save_record (fixture, PDM_TABLE_TRAINING,
                                                 "title", "Pelatihan Dasar PSM Angkatan I",
                                                 "start_date", "2025-11-25",
                                                 "end_date", "2025-11-27",
                                                 "venue", "Aula Balai Kota Bukittinggi",
                                                 "organiser", "Dinas Sosial Kota Bukittinggi",
                                                 NULL);

  pdm_record_free (pdm_test_ui_save_record (fixture, PDM_TABLE_TRAINING_SESSION,
                                            "training_id", training->id, "position", "1",
                                            "topic", "Kebijakan penanganan fakir miskin",
                                            "speaker", "Dra. Yusnimar",
                                            "institution", "BBPPKS Padang",
                                            "session_date", "2025-11-25",
                                            "start_time", "08:30", "end_time", "10:00", NULL));
  pdm_record_free (pdm_test_ui_save_record (fixture, PDM_TABLE_TRAINING_SESSION,
                                            "training_id", training->id, "position", "2",
                                            "topic", "Pendataan DTSEN dan groundcheck",
                                            "speaker", "Hendri Putra",
                                            "institution", "IPSM Sumatera Barat",
                                            "session_date", "2025-11-25",
                                            "start_time", "10:15", "end_time", "12:00", NULL));

  return training;
}

static gboolean
laid_out (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

/* Whether a person sees @widget in its scrolled page. */
static gboolean
scrolled_into_view (gpointer data)
{
  GtkWidget *widget = data;
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  return gtk_widget_get_height (widget) > 0 &&
         gtk_widget_compute_bounds (widget, scroller, &bounds) &&
         bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

static void
fill_session (PdmTrainingEditor *editor,
              guint              index,
              const char        *topic,
              const char        *speaker,
              const char        *institution,
              const char        *start,
              const char        *end)
{
  type_into (pdm_training_editor_get_session_entry (editor, index, "topic"), topic);
  type_into (pdm_training_editor_get_session_entry (editor, index, "speaker"), speaker);
  type_into (pdm_training_editor_get_session_entry (editor, index, "institution"), institution);
  type_into (pdm_training_editor_get_session_entry (editor, index, "start_time"), start);
  type_into (pdm_training_editor_get_session_entry (editor, index, "end_time"), end);
}

static void
test_create_with_sessions (void)
{
  PdmTestUi fixture = { 0 };
  PdmTrainingPage *page;
  PdmTrainingEditor *editor;
  GtkWidget *end_date_row;
  AdwActionRow *dates_row;
  const char *field = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  const PdmRecord *session;
  GtkListBoxRow *row;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  page = show_trainings (&fixture);
  g_assert_cmpstr (pdm_training_page_get_state (page), ==, "empty");

  /* Ctrl+N */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.new", NULL));
  editor = PDM_TRAINING_EDITOR (pdm_test_ui_find_window (fixture.application,
                                                         PDM_TYPE_TRAINING_EDITOR));
  g_assert_nonnull (editor);
  gtk_window_set_default_size (GTK_WINDOW (editor), 640, 560);
  g_assert_true (pdm_test_wait_for (NULL, laid_out, editor, WAIT_MS));

  type_into (GTK_EDITABLE (pdm_test_ui_get_child (editor, "title_row")),
             "Pelatihan Dasar PSM Angkatan I");
  type_into (GTK_EDITABLE (pdm_test_ui_get_child (editor, "start_date_row")), "25/11/2025");
  type_into (GTK_EDITABLE (pdm_test_ui_get_child (editor, "end_date_row")), "24/11/2025");
  type_into (GTK_EDITABLE (pdm_test_ui_get_child (editor, "venue_row")),
             "Aula Balai Kota Bukittinggi");
  type_into (GTK_EDITABLE (pdm_test_ui_get_child (editor, "organiser_row")),
             "Dinas Sosial Kota Bukittinggi");

  /* A new session starts on the first day, the next one where the first ends. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-session", NULL));
  g_assert_cmpstr (gtk_editable_get_text (pdm_training_editor_get_session_entry (editor, 0,
                                                                                 "session_date")),
                   ==, "25/11/2025");
  fill_session (editor, 0, "Kebijakan penanganan fakir miskin", "Dra. Yusnimar",
                "BBPPKS Padang", "8.30", "10.00");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-session", NULL));
  g_assert_cmpstr (gtk_editable_get_text (pdm_training_editor_get_session_entry (editor, 1,
                                                                                 "start_time")),
                   ==, "10.00");
  /* Below the training's rows, the new session scrolls into view. */
  g_assert_true (pdm_test_wait_for (NULL, scrolled_into_view,
                                    pdm_training_editor_get_session_entry (editor, 1, "topic"),
                                    WAIT_MS));
  fill_session (editor, 1, "Pendataan DTSEN dan groundcheck", "Hendri Putra",
                "IPSM Sumatera Barat", "10.15", "12.00");
  g_assert_cmpuint (pdm_training_editor_get_n_sessions (editor), ==, 2);
  pdm_test_ui_save_screenshot (GTK_WIDGET (editor), "training-editor.png");

  /* The end before the start: refused under the end date, nothing saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (pdm_test_ui_find_window (fixture.application, PDM_TYPE_TRAINING_EDITOR) ==
                 GTK_WINDOW (editor));
  g_assert_cmpstr (pdm_record_editor_get_error_field (PDM_RECORD_EDITOR (editor)), ==,
                   "end_date");
  g_assert_cmpstr (pdm_record_editor_get_error_message (PDM_RECORD_EDITOR (editor)), ==,
                   "Tanggal selesai lebih awal dari tanggal mulai");
  end_date_row = GTK_WIDGET (pdm_test_ui_get_child (editor, "end_date_row"));
  g_assert_true (gtk_widget_has_css_class (end_date_row, "error"));
  pdm_test_ui_save_screenshot (GTK_WIDGET (editor), "training-editor-error.png");
  g_assert_cmpint (count_rows (&fixture, "SELECT count(*) FROM training"), ==, 0);
  g_assert_cmpint (count_rows (&fixture, "SELECT count(*) FROM training_session"), ==, 0);

  /* A session that ends before it starts: refused in place, and the
   * training, valid now, is not saved without it either. */
  type_into (GTK_EDITABLE (end_date_row), "27/11/2025");
  g_assert_false (gtk_widget_has_css_class (end_date_row, "error"));
  type_into (pdm_training_editor_get_session_entry (editor, 1, "end_time"), "9.00");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (pdm_test_ui_find_window (fixture.application, PDM_TYPE_TRAINING_EDITOR));
  g_assert_null (pdm_training_editor_get_session_error (editor, 0, NULL));
  g_assert_cmpstr (pdm_training_editor_get_session_error (editor, 1, &field), ==,
                   "Jam selesai lebih awal dari jam mulai");
  g_assert_cmpstr (field, ==, "end_time");
  g_assert_true (gtk_widget_has_css_class (
    GTK_WIDGET (pdm_training_editor_get_session_entry (editor, 1, "end_time")), "error"));
  g_assert_cmpint (count_rows (&fixture, "SELECT count(*) FROM training"), ==, 0);
  g_assert_cmpint (count_rows (&fixture, "SELECT count(*) FROM training_session"), ==, 0);

  /* Fixed, saved: the training and its sessions in their order. */
  type_into (pdm_training_editor_get_session_entry (editor, 1, "end_time"), "12.00");
  g_assert_null (pdm_training_editor_get_session_error (editor, 1, NULL));
  pdm_test_ui_activate_until_closed (GTK_WINDOW (editor), "editor.save");

  g_assert_true (pdm_test_wait_for (NULL, training_selected, page, WAIT_MS));
  g_assert_cmpstr (pdm_training_page_get_state (page), ==, "detail");
  g_assert_cmpstr (label_text (page, "detail_title"), ==, "Pelatihan Dasar PSM Angkatan I");
  dates_row = ADW_ACTION_ROW (pdm_test_ui_get_child (page, "dates_row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (dates_row), ==, "25–27 November 2025");
  g_assert_cmpstr (label_text (page, "count_label"), ==, "1 pelatihan");

  sessions = pdm_training_list_sessions (repository_of (&fixture),
                                         pdm_training_page_get_selected_id (page), NULL);
  g_assert_cmpuint (sessions->len, ==, 2);
  session = g_ptr_array_index (sessions, 0);
  g_assert_cmpstr (pdm_record_get (session, "topic"), ==, "Kebijakan penanganan fakir miskin");
  g_assert_cmpstr (pdm_record_get (session, "start_time"), ==, "08:30");
  g_assert_cmpstr (pdm_record_get (session, "session_date"), ==, "2025-11-25");
  session = g_ptr_array_index (sessions, 1);
  g_assert_cmpstr (pdm_record_get (session, "speaker"), ==, "Hendri Putra");
  g_assert_cmpstr (pdm_record_get (session, "end_time"), ==, "12:00");

  /* Edit: the second session moves first, and the order is kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "training.edit", NULL));
  editor = PDM_TRAINING_EDITOR (pdm_test_ui_find_window (fixture.application,
                                                         PDM_TYPE_TRAINING_EDITOR));
  g_assert_cmpuint (pdm_training_editor_get_n_sessions (editor), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (pdm_training_editor_get_session_entry (editor, 0,
                                                                                 "start_time")),
                   ==, "08.30");
  g_assert_false (pdm_record_editor_is_modified (PDM_RECORD_EDITOR (editor)));
  pdm_training_editor_move_session (editor, 1, -1);
  g_assert_true (pdm_record_editor_is_modified (PDM_RECORD_EDITOR (editor)));
  pdm_test_ui_activate_until_closed (GTK_WINDOW (editor), "editor.save");
  g_clear_pointer (&sessions, g_ptr_array_unref);
  sessions = pdm_training_list_sessions (repository_of (&fixture),
                                         pdm_training_page_get_selected_id (page), NULL);
  g_assert_cmpstr (pdm_record_get (g_ptr_array_index (sessions, 0), "topic"), ==,
                   "Pendataan DTSEN dan groundcheck");

  /* A session removed in the editor is deleted with Save, not before. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "training.edit", NULL));
  editor = PDM_TRAINING_EDITOR (pdm_test_ui_find_window (fixture.application,
                                                         PDM_TYPE_TRAINING_EDITOR));
  pdm_training_editor_remove_session (editor, 1);
  g_assert_cmpuint (pdm_training_editor_get_n_sessions (editor), ==, 1);
  g_assert_cmpint (count_rows (&fixture,
                               "SELECT count(*) FROM training_session WHERE deleted = 0"), ==, 2);
  pdm_test_ui_activate_until_closed (GTK_WINDOW (editor), "editor.save");
  g_clear_pointer (&sessions, g_ptr_array_unref);
  sessions = pdm_training_list_sessions (repository_of (&fixture),
                                         pdm_training_page_get_selected_id (page), NULL);
  g_assert_cmpuint (sessions->len, ==, 1);
  g_assert_cmpstr (pdm_record_get (g_ptr_array_index (sessions, 0), "topic"), ==,
                   "Pendataan DTSEN dan groundcheck");

  /* The list row says when. */
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (pdm_test_ui_get_child (page,
                                                                            "training_list")),
                                       0);
  g_assert_nonnull (row);
  g_assert_true (gtk_list_box_row_is_selected (row));

  pdm_test_ui_stop (&fixture);
}

static void
test_participants_and_check_in (void)
{
  PdmTestUi fixture = { 0 };
  g_autoptr(PdmRecord) training = NULL;
  g_autoptr(PdmRecord) rahmi = NULL;
  g_autoptr(PdmRecord) siti = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GHashTable) present = NULL;
  g_autofree char *rahmi_participant = NULL;
  g_autofree char *siti_participant = NULL;
  PdmTrainingPage *page;
  GtkWindow *picker;
  GtkWindow *volunteer_editor;
  GtkListBox *list;
  GtkWindow *checkin;
  GtkWidget *search;
  GtkListBoxRow *row;
  const char *session_id;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  rahmi = pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER, "full_name", "Rahmi Yulianti",
                                   "nik", "1375024512800001",
                                   "kelurahan_code", PDM_TEST_KELURAHAN, NULL);
  pdm_record_free (pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER,
                                            "full_name", "Rahmat Hidayat",
                                            "kelurahan_code", "13.75.01.1001", NULL));
  siti = pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER, "full_name", "Siti Aminah",
                                  "kelurahan_code", "13.75.03.1002", NULL);
  pdm_record_free (pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER,
                                            "full_name", "Nurhayati",
                                            "kelurahan_code", PDM_TEST_KELURAHAN, NULL));
  training = add_training (&fixture);

  page = show_trainings (&fixture);
  pdm_training_page_select (page, training->id);
  g_assert_true (pdm_test_wait_for (NULL, training_selected, page, WAIT_MS));

  /* The picker: a part of a name finds the PSM; a tick adds them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "training.add-participants",
                                             NULL));
  picker = pdm_test_ui_find_window (fixture.application, PDM_TYPE_PARTICIPANT_PICKER);
  g_assert_nonnull (picker);
  list = GTK_LIST_BOX (pdm_test_ui_get_child (picker, "volunteer_list"));
  search_for (picker, list, "rahm", 2, "Rahmi Yulianti");
  g_assert_nonnull (shown_row_titled (list, "Rahmat Hidayat"));
  gtk_widget_activate (GTK_WIDGET (shown_row_titled (list, "Rahmi")));
  gtk_widget_activate (GTK_WIDGET (shown_row_titled (list, "Rahmat")));
  search_for (picker, list, "amin", 1, "Siti Aminah");
  gtk_widget_activate (GTK_WIDGET (shown_row_titled (list, "Siti")));
  g_assert_cmpstr (label_text (picker, "count_label"), ==, "3 peserta");
  participants = pdm_training_list_participants (repository_of (&fixture), training->id, NULL,
                                                 NULL);
  g_assert_cmpuint (participants->len, ==, 3);
  g_clear_pointer (&participants, g_ptr_array_unref);

  /* A tick taken off removes the PSM; ticking again brings them back. */
  search_for (picker, list, "nurha", 1, "Nurhayati");
  gtk_widget_activate (GTK_WIDGET (shown_row_titled (list, "Nurhayati")));
  g_assert_cmpstr (label_text (picker, "count_label"), ==, "4 peserta");
  gtk_widget_activate (GTK_WIDGET (shown_row_titled (list, "Nurhayati")));
  g_assert_cmpstr (label_text (picker, "count_label"), ==, "3 peserta");

  /* A PSM not in the registry yet: the volunteer editor, then a participant. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (picker), "picker.new-volunteer", NULL));
  volunteer_editor = pdm_test_ui_find_window (fixture.application, PDM_TYPE_VOLUNTEER_EDITOR);
  g_assert_nonnull (volunteer_editor);
  type_into (GTK_EDITABLE (pdm_test_ui_get_child (volunteer_editor, "full_name_row")),
             "Yusrizal");
  pdm_test_ui_activate_until_closed (volunteer_editor, "editor.save");
  search_for (picker, list, "Yusrizal", 1, "Yusrizal");
  g_assert_true (gtk_check_button_get_active (
    GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (
      shown_row_titled (list, "Yusrizal"))))));
  g_assert_cmpstr (label_text (picker, "count_label"), ==, "4 peserta");
  participants = pdm_training_list_participants (repository_of (&fixture), training->id, NULL,
                                                 NULL);
  g_assert_cmpuint (participants->len, ==, 4);
  g_clear_pointer (&participants, g_ptr_array_unref);
  pdm_test_ui_save_screenshot (GTK_WIDGET (picker), "training-participants.png");
  gtk_window_close (picker);

  /* Check-in for the second session. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "training.check-in", NULL));
  checkin = pdm_test_ui_find_window (fixture.application, PDM_TYPE_CHECKIN_WINDOW);
  g_assert_nonnull (checkin);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (pdm_test_ui_get_child (checkin, "session_dropdown")),
                              1);
  sessions = pdm_training_list_sessions (repository_of (&fixture), training->id, NULL);
  session_id = ((PdmRecord *) g_ptr_array_index (sessions, 1))->id;
  g_assert_cmpstr (pdm_checkin_window_get_session_id (PDM_CHECKIN_WINDOW (checkin)), ==,
                   session_id);
  g_assert_cmpstr (label_text (checkin, "count_label"), ==, "Hadir: 0 dari 4");
  list = GTK_LIST_BOX (pdm_test_ui_get_child (checkin, "participant_list"));
  g_assert_cmpuint (n_shown_rows (list), ==, 4);

  /* Ctrl+F, a NIK's start, Enter: the one found is present, the search
   * empties for the next. */
  search = GTK_WIDGET (pdm_test_ui_get_child (checkin, "search_entry"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (checkin), "checkin.find", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (checkin)), search));
  search_for (checkin, list, "13750245", 1, "Rahmi Yulianti");
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_assert_cmpstr (label_text (checkin, "count_label"), ==, "Hadir: 1 dari 4");

  /* A name's start, Down to the list, Space on the row. */
  search_for (checkin, list, "sit", 1, "Siti Aminah");
  row = shown_row_titled (list, "Siti Aminah");
  gtk_widget_grab_focus (GTK_WIDGET (row));
  g_signal_emit_by_name (list, "activate-cursor-row");
  g_assert_cmpstr (label_text (checkin, "count_label"), ==, "Hadir: 2 dari 4");

  /* Escape empties the search: everyone shows again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (checkin), "checkin.escape", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_assert_cmpuint (n_shown_rows (list), ==, 4);
  pdm_test_ui_set_window_size (GTK_WINDOW (fixture.window), 1366, 768);
  pdm_test_ui_save_screenshot (GTK_WIDGET (checkin), "training-check-in.png");

  /* The marks are in the database, for that session only. */
  rahmi_participant = pdm_training_participant_id (training->id, rahmi->id);
  siti_participant = pdm_training_participant_id (training->id, siti->id);
  present = pdm_training_get_attendance (repository_of (&fixture), session_id, NULL);
  g_assert_cmpuint (g_hash_table_size (present), ==, 2);
  g_assert_true (g_hash_table_contains (present, rahmi_participant));
  g_assert_true (g_hash_table_contains (present, siti_participant));
  g_clear_pointer (&present, g_hash_table_unref);
  present = pdm_training_get_attendance (repository_of (&fixture),
                                         ((PdmRecord *) g_ptr_array_index (sessions, 0))->id,
                                         NULL);
  g_assert_cmpuint (g_hash_table_size (present), ==, 0);

  /* The training's page counts the sessions each participant came to. */
  {
    AttendanceWait came = { page, "Rahmi Yulianti", "1/2 sesi" };
    AttendanceWait absent = { page, "Rahmat Hidayat", "0/2 sesi" };

    g_assert_true (pdm_test_wait_for (NULL, attendance_shown, &came, WAIT_MS));
    g_assert_true (attendance_shown (&absent));
  }

  /* The first session has its own marks. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (pdm_test_ui_get_child (checkin, "session_dropdown")),
                              0);
  g_assert_cmpstr (label_text (checkin, "count_label"), ==, "Hadir: 0 dari 4");

  /* Escape with an empty search closes. */
  pdm_test_ui_activate_until_closed (checkin, "checkin.escape");

  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "training-page.png");
  pdm_test_ui_set_window_size (GTK_WINDOW (fixture.window), 1024, 600);
  pdm_test_ui_save_screenshot (GTK_WIDGET (fixture.window), "training-page-1024.png");

  pdm_test_ui_stop (&fixture);
}

/* The 135 PSM of a training are added at once, here those of one kelurahan. */
static void
test_add_all_listed (void)
{
  PdmTestUi fixture = { 0 };
  g_autoptr(PdmRecord) training = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  const char * const kelurahan[] = { PDM_TEST_KELURAHAN, PDM_TEST_KELURAHAN, "13.75.01.1001" };
  GtkWindow *picker;
  GtkDropDown *dropdown;
  GListModel *names;
  RowsWait wait;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  training = add_training (&fixture);
  for (guint i = 0; i < G_N_ELEMENTS (kelurahan); i++)
    {
      g_autofree char *name = g_strdup_printf ("Peserta %u", i + 1);

      pdm_record_free (pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER, "full_name", name,
                                                "kelurahan_code", kelurahan[i], NULL));
    }

  picker = GTK_WINDOW (pdm_participant_picker_new (fixture.application, training->id));
  gtk_window_present (picker);
  dropdown = GTK_DROP_DOWN (pdm_test_ui_get_child (picker, "kelurahan_dropdown"));
  names = gtk_drop_down_get_model (dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Campago Ipuh"))
      gtk_drop_down_set_selected (dropdown, i);
  wait = (RowsWait) { GTK_LIST_BOX (pdm_test_ui_get_child (picker, "volunteer_list")), 2,
                      "Peserta 2" };
  g_assert_true (pdm_test_wait_for (NULL, rows_shown, &wait, WAIT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (picker), "picker.add-listed", NULL));
  g_assert_cmpstr (label_text (picker, "count_label"), ==, "2 peserta");
  participants = pdm_training_list_participants (repository_of (&fixture), training->id, NULL,
                                                 NULL);
  g_assert_cmpuint (participants->len, ==, 2);
  g_assert_cmpstr (((PdmParticipantRow *) g_ptr_array_index (participants, 0))->full_name, ==,
                   "Peserta 1");
  g_assert_cmpstr (((PdmParticipantRow *) g_ptr_array_index (participants, 1))->full_name, ==,
                   "Peserta 2");

  gtk_window_destroy (picker);
  pdm_test_ui_stop (&fixture);
}


static gboolean
page_is_empty (gpointer data)
{
  return g_strcmp0 (pdm_training_page_get_state (data), "empty") == 0;
}

static gboolean
report_shown (gpointer application)
{
  return pdm_test_ui_find_window (application, PDM_TYPE_REPORT_WINDOW) != NULL;
}

static void
test_delete_and_undo (void)
{
  PdmTestUi fixture = { 0 };
  g_autoptr(PdmRecord) training = NULL;
  PdmTrainingPage *page;
  AdwToast *toast;
  GtkWindow *forms;
  PdmReportWindow *report;

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  training = add_training (&fixture);
  page = show_trainings (&fixture);
  g_assert_true (pdm_test_wait_for (NULL, training_selected, page, WAIT_MS));
  g_assert_cmpstr (pdm_training_page_get_selected_id (page), ==, training->id);

  /* Fill Forms opens the training's forms; Report reads its figures in
   * the background, then shows them. */
  g_signal_emit_by_name (pdm_test_ui_get_child (page, "fill_forms_button"), "clicked");
  forms = pdm_test_ui_find_window (fixture.application, PDM_TYPE_FORM_WINDOW);
  g_assert_nonnull (forms);
  gtk_window_destroy (forms);
  g_signal_emit_by_name (pdm_test_ui_get_child (page, "report_button"), "clicked");
  g_assert_true (pdm_test_wait_for (NULL, report_shown, fixture.application, WAIT_MS));
  report = PDM_REPORT_WINDOW (pdm_test_ui_find_window (fixture.application,
                                                       PDM_TYPE_REPORT_WINDOW));
  g_assert_cmpuint (pdm_report_doc_get_n_details (pdm_report_window_get_doc (report)), >, 0);
  g_assert_cmpstr (pdm_report_doc_get_detail_value (pdm_report_window_get_doc (report), 0), ==,
                   pdm_record_get (training, "title"));
  gtk_window_destroy (GTK_WINDOW (report));

  /* The Delete key */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "list.delete", NULL));
  g_assert_cmpint (count_rows (&fixture, "SELECT deleted FROM training"), ==, 1);
  g_assert_true (pdm_test_wait_for (NULL, page_is_empty, page, WAIT_MS));
  g_assert_null (pdm_training_page_get_selected_id (page));

  /* Undo in the toast brings it back, shown, with its sessions. */
  toast = pdm_training_page_get_undo_toast (page);
  g_assert_nonnull (toast);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (page),
                                                     adw_toast_get_action_name (toast),
                                                     adw_toast_get_action_target_value (toast)));
  g_assert_true (pdm_test_wait_for (NULL, training_selected, page, WAIT_MS));
  g_assert_cmpstr (pdm_training_page_get_selected_id (page), ==, training->id);
  g_assert_cmpstr (pdm_training_page_get_state (page), ==, "detail");
  g_assert_cmpint (count_rows (&fixture, "SELECT deleted FROM training"), ==, 0);
  g_assert_cmpint (count_rows (&fixture,
                               "SELECT count(*) FROM training_session WHERE deleted = 0"), ==, 2);

  pdm_test_ui_stop (&fixture);
}


/* Real key presses, through the X server's XTest extension, to the window
 * that has the keyboard: what a person's keyboard sends. */
static void
press_keys (const char *command,
            const char *keys)
{
  g_autofree char *line = g_strdup_printf ("xdotool %s %s", command, keys);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (line, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

typedef struct
{
  GtkWindow  *window;
  GtkListBox *list;
  const char *count;
  const char *search;
  guint       n_shown;
} CheckinWait;

/* The count, the search and the rows shown are what @wait expects. */
static gboolean
check_in_shows (gpointer data)
{
  CheckinWait *wait = data;

  return g_strcmp0 (label_text (wait->window, "count_label"), wait->count) == 0 &&
         g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (pdm_test_ui_get_child (wait->window,
                                                                                "search_entry"))),
                    wait->search) == 0 &&
         n_shown_rows (wait->list) == wait->n_shown;
}

static void
expect_check_in (CheckinWait *wait,
                 const char  *count,
                 const char  *search,
                 guint        n_shown)
{
  wait->count = count;
  wait->search = search;
  wait->n_shown = n_shown;
  g_assert_true (pdm_test_wait_for (NULL, check_in_shows, wait, WAIT_MS));
}

static gboolean
focus_on_row (gpointer data)
{
  return ADW_IS_ACTION_ROW (gtk_root_get_focus (data));
}

static gboolean
focus_in_search (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (data);
  GtkWidget *search = GTK_WIDGET (pdm_test_ui_get_child (data, "search_entry"));

  return focus != NULL && gtk_widget_is_ancestor (focus, search);
}

static gboolean
is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

/* The check-in of 135 people is typed: search, Enter, Down, Space, Esc. */
static void
test_check_in_keyboard (void)
{
  PdmTestUi fixture = { 0 };
  g_autoptr(PdmRecord) training = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GHashTable) present = NULL;
  g_autofree char *xid = NULL;
  g_autofree char *xid_key = NULL;
  g_autofree char *xid_type = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  const char * const names[] = { "Rahmi Yulianti", "Rahmat Hidayat", "Siti Aminah", "Nurhayati" };
  PdmTrainingPage *page;
  GtkWindow *checkin;
  CheckinWait wait = { 0 };

  if (xdotool == NULL)
    {
      g_test_skip ("xdotool is missing: build-aux/setup.sh installs it");
      return;
    }

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  training = add_training (&fixture);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PdmRecord) volunteer = NULL;
      g_autoptr(PdmRecord) participant = NULL;

      volunteer = pdm_test_ui_save_record (&fixture, PDM_TABLE_VOLUNTEER, "full_name", names[i],
                                           "kelurahan_code", PDM_TEST_KELURAHAN, NULL);
      participant = pdm_training_add_participant (repository_of (&fixture), training->id,
                                                  volunteer->id, NULL);
      g_assert_nonnull (participant);
    }
  pdm_application_records_changed (fixture.application, PDM_TABLE_PARTICIPANT);
  page = show_trainings (&fixture);
  pdm_training_page_select (page, training->id);
  g_assert_true (pdm_test_wait_for (NULL, training_selected, page, WAIT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "training.check-in", NULL));
  checkin = pdm_test_ui_find_window (fixture.application, PDM_TYPE_CHECKIN_WINDOW);
  g_assert_true (pdm_test_wait_for (NULL, laid_out, checkin, WAIT_MS));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (checkin))));
  press_keys ("windowfocus --sync", xid);
  xid_key = g_strdup_printf ("key --window %s --delay 20", xid);
  xid_type = g_strdup_printf ("type --window %s --delay 20", xid);
  g_assert_true (pdm_test_wait_for (NULL, is_active, checkin, WAIT_MS));
  wait = (CheckinWait) { checkin, GTK_LIST_BOX (pdm_test_ui_get_child (checkin,
                                                                      "participant_list")) };

  /* The search has the keyboard from the start; Enter on the one found. */
  g_assert_true (focus_in_search (checkin));
  press_keys (xid_type, "siti");
  expect_check_in (&wait, "Hadir: 0 dari 4", "siti", 1);
  press_keys (xid_key, "Return");
  expect_check_in (&wait, "Hadir: 1 dari 4", "", 4);
  g_assert_cmpstr (label_text (checkin, "status_label"), ==, "Siti Aminah: hadir");

  /* Two found: Down to the first, Space; Down to the next, Enter. */
  press_keys (xid_type, "rahm");
  expect_check_in (&wait, "Hadir: 1 dari 4", "rahm", 2);
  press_keys (xid_key, "Down");
  g_assert_true (pdm_test_wait_for (NULL, focus_on_row, checkin, WAIT_MS));
  press_keys (xid_key, "space");
  expect_check_in (&wait, "Hadir: 2 dari 4", "rahm", 2);
  press_keys (xid_key, "Down Return");
  expect_check_in (&wait, "Hadir: 3 dari 4", "rahm", 2);

  /* Typing in the list starts the next search; Space takes the mark off. */
  press_keys (xid_type, "nur");
  expect_check_in (&wait, "Hadir: 3 dari 4", "nur", 1);
  g_assert_true (focus_in_search (checkin));
  press_keys (xid_key, "Down space");
  expect_check_in (&wait, "Hadir: 4 dari 4", "nur", 1);
  press_keys (xid_key, "space");
  expect_check_in (&wait, "Hadir: 3 dari 4", "nur", 1);
  g_assert_cmpstr (label_text (checkin, "status_label"), ==, "Nurhayati: tidak hadir");

  /* Esc empties the search, from the list too; Ctrl+F goes back to it. */
  press_keys (xid_key, "Escape");
  expect_check_in (&wait, "Hadir: 3 dari 4", "", 4);
  press_keys (xid_key, "ctrl+f");
  g_assert_true (pdm_test_wait_for (NULL, focus_in_search, checkin, WAIT_MS));

  sessions = pdm_training_list_sessions (repository_of (&fixture), training->id, NULL);
  present = pdm_training_get_attendance (repository_of (&fixture),
                                         pdm_checkin_window_get_session_id (
                                           PDM_CHECKIN_WINDOW (checkin)),
                                         NULL);
  g_assert_cmpuint (g_hash_table_size (present), ==, 3);

  pdm_test_ui_stop (&fixture);
}

typedef struct
{
  GtkWindow *window;
  GtkWidget *before;
} FocusWait;

static gboolean
focus_moved (gpointer data)
{
  FocusWait *wait = data;

  return gtk_root_get_focus (GTK_ROOT (wait->window)) != wait->before;
}

/* What has the keyboard after Tab: a button's action or a row's title. */
static const char *
tab_to_next (GtkWindow *window)
{
  FocusWait wait = { window, gtk_root_get_focus (GTK_ROOT (window)) };
  GtkWidget *focus;

  press_keys ("key --delay 20", "Tab");
  g_assert_true (pdm_test_wait_for (NULL, focus_moved, &wait, WAIT_MS));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  if (GTK_IS_ACTIONABLE (focus) && gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)) != NULL)
    return gtk_actionable_get_action_name (GTK_ACTIONABLE (focus));
  if (ADW_IS_PREFERENCES_ROW (focus))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (focus));

  return G_OBJECT_TYPE_NAME (focus);
}

static gboolean
editor_open (gpointer data)
{
  return pdm_test_ui_find_window (data, PDM_TYPE_TRAINING_EDITOR) != NULL;
}

/* The page with the keyboard alone: Tab reaches every button of the
 * training shown, on to its details, and Ctrl+N opens the editor. */
static void
test_page_keyboard (void)
{
  PdmTestUi fixture = { 0 };
  g_autoptr(PdmRecord) training = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *xid = NULL;
  PdmTrainingPage *page;

  if (xdotool == NULL)
    {
      g_test_skip ("xdotool is missing: build-aux/setup.sh installs it");
      return;
    }

  pdm_test_ui_start (&fixture, NULL, PDM_TEST_KELURAHAN);
  training = add_training (&fixture);
  page = show_trainings (&fixture);
  g_assert_true (pdm_test_wait_for (NULL, training_selected, page, WAIT_MS));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (fixture.window))));
  press_keys ("windowfocus --sync", xid);
  g_assert_true (pdm_test_wait_for (NULL, is_active, fixture.window, WAIT_MS));

  /* Tab reaches every button of the detail, in reading order. */
  g_assert_true (pdm_test_wait_for (NULL, laid_out, pdm_test_ui_get_child (page, "detail_title"),
                                    WAIT_MS));
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (
    GTK_LIST_BOX (pdm_test_ui_get_child (page, "training_list")), 0)));
  g_assert_cmpstr (tab_to_next (GTK_WINDOW (fixture.window)), ==, "training.edit");
  g_assert_cmpstr (tab_to_next (GTK_WINDOW (fixture.window)), ==, "list.delete");
  g_assert_cmpstr (tab_to_next (GTK_WINDOW (fixture.window)), ==, "training.add-participants");
  g_assert_cmpstr (tab_to_next (GTK_WINDOW (fixture.window)), ==, "training.check-in");
  g_assert_cmpstr (tab_to_next (GTK_WINDOW (fixture.window)), ==, "training.fill-forms");
  g_assert_cmpstr (tab_to_next (GTK_WINDOW (fixture.window)), ==, "training.report");
  g_assert_cmpstr (tab_to_next (GTK_WINDOW (fixture.window)), ==, "Tanggal");

  press_keys ("key --delay 20", "ctrl+n");
  g_assert_true (pdm_test_wait_for (NULL, editor_open, fixture.application, WAIT_MS));

  pdm_test_ui_stop (&fixture);
}


int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/trainings/create-with-sessions", test_create_with_sessions);
  g_test_add_func ("/ui/trainings/participants-and-check-in", test_participants_and_check_in);
  g_test_add_func ("/ui/trainings/add-all-listed", test_add_all_listed);
  g_test_add_func ("/ui/trainings/check-in-keyboard", test_check_in_keyboard);
  g_test_add_func ("/ui/trainings/delete-and-undo", test_delete_and_undo);
  g_test_add_func ("/ui/trainings/page-keyboard", test_page_keyboard);

  return g_test_run ();
}
