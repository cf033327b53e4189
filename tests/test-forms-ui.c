/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-forms-ui"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-form-view.h"
#include "pdm-form-window.h"
#include "pdm-rules.h"
#include "pdm-test-ui.h"
#include "pdm-test-util.h"
#include "pdm-training.h"

/* Filling in training forms: in data-entry mode with the keys alone, and
 * in live mode; drafts, skip logic, and responses that no longer change. */

#define WAIT_MS PDM_TEST_WAIT_MS

/* A survey of this test's own, with skip logic, a constraint, a
 * calculation and a date. */
static const char survey_json[] =
  "{\n"
  "  \"id\": \"test-family-survey\", \"version\": 1, \"title\": \"Survei Keluarga\",\n"
  "  \"kind\": \"survey\",\n"
  "  \"sections\": [ {\n"
  "    \"id\": \"keluarga\", \"title\": \"Keluarga\",\n"
  "    \"questions\": [\n"
  "      { \"id\": \"punya_anak\", \"type\": \"yes_no\", \"label\": \"Punya anak?\",\n"
  "        \"required\": true },\n"
  "      { \"id\": \"jumlah_anak\", \"type\": \"number\", \"label\": \"Jumlah anak\",\n"
  "        \"required\": true, \"integer\": true, \"min\": 1, \"max\": 20,\n"
  "        \"relevant\": \"${punya_anak} = true\" },\n"
  "      { \"id\": \"anak_sekolah\", \"type\": \"number\", \"label\": \"Yang masih sekolah\",\n"
  "        \"min\": 0, \"max\": 20, \"relevant\": \"${jumlah_anak} > 0\",\n"
  "        \"constraint\": \". <= ${jumlah_anak}\",\n"
  "        \"constraint_message\": \"Tidak boleh lebih dari jumlah anak\" },\n"
  "      { \"id\": \"tidak_sekolah\", \"type\": \"number\", \"label\": \"Tidak sekolah\",\n"
  "        \"calculate\": \"${jumlah_anak} - ${anak_sekolah}\" },\n"
  "      { \"id\": \"tanggal\", \"type\": \"date\", \"label\": \"Tanggal\", \"required\": true }\n"
  "    ]\n"
  "  } ]\n"
  "}\n";

/* The app with a training of three PSM, named so that the list (by name)
 * has them in this order. */
typedef struct
{
  PdmTestUi  ui;
  char      *training_id;
  char      *session_id;
  char      *participants[3];
} Fixture;

static const char * const names[] = { "Afrizal Koto", "Desmawati", "Yulianti Sikumbang" };
static const char * const niks[] = {
  "1375020101800001", "1375024202850002", "1375024303900003",
};

static PdmRepository *
repository_of (Fixture *fixture)
{
  return pdm_application_get_repository (fixture->ui.application);
}

static sqlite3 *
db_of (Fixture *fixture)
{
  return pdm_database_get_handle (pdm_repository_get_database (repository_of (fixture)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  PdmRepository *repository;
  g_autoptr(PdmRecord) training = pdm_record_new (PDM_TABLE_TRAINING);
  g_autoptr(PdmRecord) session = pdm_record_new (PDM_TABLE_TRAINING_SESSION);
  g_autoptr(GError) error = NULL;

  pdm_test_ui_start (&fixture->ui, NULL, PDM_TEST_KELURAHAN);
  repository = repository_of (fixture);

  pdm_record_set (training, "title", "Pelatihan Dasar PSM 2025");
  pdm_record_set (training, "start_date", "2025-11-25");
  pdm_record_set (training, "venue", "Aula Balai Kota Bukittinggi");
  g_assert_true (pdm_rules_save (repository, training, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->training_id = g_strdup (training->id);

  pdm_record_set (session, "training_id", training->id);
  pdm_record_set (session, "topic", "Kebijakan Kesejahteraan Sosial");
  pdm_record_set (session, "speaker", "Dra. Yusnimar");
  pdm_record_set (session, "session_date", "2025-11-25");
  g_assert_true (pdm_rules_save (repository, session, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->session_id = g_strdup (session->id);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PdmRecord) volunteer = pdm_record_new (PDM_TABLE_VOLUNTEER);
      g_autoptr(PdmRecord) participant = NULL;

      pdm_record_set (volunteer, "full_name", names[i]);
      pdm_record_set (volunteer, "nik", niks[i]);
      pdm_record_set (volunteer, "kelurahan_code", PDM_TEST_KELURAHAN);
      g_assert_true (pdm_rules_save (repository, volunteer, NULL, NULL, &error));
      g_assert_no_error (error);

      participant = pdm_training_add_participant (repository, training->id, volunteer->id,
                                                  &error);
      g_assert_no_error (error);
      fixture->participants[i] = g_strdup (participant->id);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pdm_test_ui_stop (&fixture->ui);
  g_free (fixture->training_id);
  g_free (fixture->session_id);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->participants); i++)
    g_free (fixture->participants[i]);
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* The window a training page opens, shown. */
static PdmFormWindow *
open_window (Fixture *fixture)
{
  PdmFormWindow *window = pdm_form_window_new (fixture->ui.application, fixture->training_id);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (fixture->ui.window));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pdm_test_wait_for (NULL, window_mapped, window, WAIT_MS));

  return window;
}

/* A key typed into the form, as GTK hands it to the view's key
 * controller; what the controller does not take goes to the input. */
static gboolean
press (PdmFormView *view,
       guint        keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          g_strcmp0 (gtk_event_controller_get_name (controller), "pdm-form-view-keys") == 0)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0,
                                 &handled);
          return handled;
        }
    }

  g_assert_not_reached ();
}

static const char *
current_id (PdmFormView *view)
{
  PdmFormQuestion *question = pdm_form_view_get_current (view);

  return question != NULL ? pdm_form_question_get_id (question) : NULL;
}

/* How many rows of @table have @id in @column. */
static gint64
count (Fixture    *fixture,
       const char *table,
       const char *column,
       const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s = '%s'",
                                          table, column, id);

  return pdm_test_query_int (db_of (fixture), sql);
}

static gint64
n_drafts (Fixture    *fixture,
          const char *participant_id)
{
  return count (fixture, "response_draft", "participant_id", participant_id);
}

static gint64
n_responses (Fixture    *fixture,
             const char *participant_id)
{
  return count (fixture, "response", "participant_id", participant_id);
}

typedef struct
{
  Fixture    *fixture;
  const char *participant_id;
} DraftWait;

static gboolean
draft_saved (gpointer data)
{
  DraftWait *wait = data;

  return n_drafts (wait->fixture, wait->participant_id) == 1;
}

/* The stored answers of the participant's one response. */
static JsonObject *
stored_answers (Fixture    *fixture,
                const char *participant_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT answers FROM response "
                                          "WHERE participant_id = '%s'", participant_id);
  g_autofree char *text = pdm_test_query_text (db_of (fixture), sql);
  g_autoptr(GError) error = NULL;
  JsonObject *answers;

  g_assert_nonnull (text);
  answers = pdm_form_answers_new_from_string (text, &error);
  g_assert_no_error (error);

  return answers;
}

/* The value of option @n (from 1) of @question. */
static const char *
option_value (PdmFormQuestion *question,
              guint            n)
{
  guint n_options;
  const PdmFormOption *options = pdm_form_question_get_options (question, &n_options);

  g_assert_cmpuint (n, <=, n_options);

  return options[n - 1].value;
}

static char *
header_text (guint       position,
             guint       total,
             const char *name)
{
  return g_strdup_printf (_("Participant %u of %u — %s"), position, total, name);
}

static const char *
label_text (PdmFormWindow *window,
            const char    *name)
{
  return gtk_label_get_label (GTK_LABEL (pdm_test_ui_get_child (window, name)));
}

/* Data entry of the 20-item pre-test for the first participant with the
 * number keys and Enter: the response is stored with the score of the
 * answer key, its draft is gone, the next participant follows. */
static void
test_data_entry (Fixture       *fixture,
                 gconstpointer  data)
{
  PdmFormWindow *window = open_window (fixture);
  g_autofree char *header = NULL;
  g_autofree char *counter = NULL;
  g_autoptr(JsonObject) answers = NULL;
  g_autofree char *score = NULL;
  g_autofree char *expected_score = NULL;
  const char *chosen[20];
  PdmFormView *view;
  PdmForm *form;
  guint expected = 0;
  DraftWait wait = { fixture, fixture->participants[0] };

  g_assert_true (pdm_form_window_select_form (window, "psm-basic-pretest", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "form.data-entry", NULL));
  g_assert_true (pdm_form_window_get_data_entry (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pdm_test_ui_get_child (window,
                                                                            "sidebar"))));

  /* The first participant without a response, at the first question. */
  g_assert_cmpstr (pdm_form_window_get_participant (window), ==, fixture->participants[0]);
  header = header_text (1, 3, names[0]);
  g_assert_cmpstr (label_text (window, "participant_label"), ==, header);
  view = pdm_form_window_get_view (window);
  form = pdm_form_view_get_form (view);
  g_assert_cmpuint (pdm_form_get_n_questions (form), ==, 20);
  g_assert_cmpstr (current_id (view), ==, "q01");
  g_assert_true (pdm_form_view_get_data_entry (view));

  for (guint i = 0; i < 20; i++)
    {
      PdmFormQuestion *question = pdm_form_get_question (form, i);
      guint digit = (i * 7) % 4 + 1;

      g_assert_cmpstr (current_id (view), ==, pdm_form_question_get_id (question));
      g_assert_true (press (view, GDK_KEY_0 + digit));
      chosen[i] = option_value (question, digit);
      if (g_strcmp0 (chosen[i], json_node_get_string (pdm_form_question_get_correct (question)))
          == 0)
        expected++;

      /* Drafts are saved as one types. */
      if (i == 9)
        g_assert_true (pdm_test_wait_for (NULL, draft_saved, &wait, WAIT_MS));
    }
  /* The pattern is not all right nor all wrong. */
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, 20);

  /* The last answer does not submit by itself; Enter does. */
  g_assert_cmpstr (current_id (view), ==, "q20");
  g_assert_cmpint (n_responses (fixture, fixture->participants[0]), ==, 0);
  pdm_test_ui_set_window_size (GTK_WINDOW (window), 1366, 768);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "form-data-entry.png");
  g_assert_true (press (view, GDK_KEY_Return));

  g_assert_cmpint (n_responses (fixture, fixture->participants[0]), ==, 1);
  score = pdm_test_query_text (db_of (fixture),
                               "SELECT score || '/' || max_score FROM response");
  expected_score = g_strdup_printf ("%u/20", expected);
  g_assert_cmpstr (score, ==, expected_score);
  answers = stored_answers (fixture, fixture->participants[0]);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpstr (json_object_get_string_member (answers, pdm_form_question_get_id (
                                                      pdm_form_get_question (form, i))),
                     ==, chosen[i]);
  g_assert_cmpint (n_drafts (fixture, fixture->participants[0]), ==, 0);

  /* The next participant, with an empty form at its first question. */
  g_assert_cmpstr (pdm_form_window_get_participant (window), ==, fixture->participants[1]);
  g_clear_pointer (&header, g_free);
  header = header_text (2, 3, names[1]);
  g_assert_cmpstr (label_text (window, "participant_label"), ==, header);
  counter = g_strdup_printf (ngettext ("%u of %u submitted", "%u of %u submitted", 3), 1, 3);
  g_assert_cmpstr (label_text (window, "counter_label"), ==, counter);
  g_assert_cmpuint (pdm_form_window_get_n_submitted (window), ==, 1);
  g_assert_true (pdm_form_window_get_view (window) == view);
  g_assert_cmpuint (json_object_get_size (pdm_form_view_get_answers (view)), ==, 0);
  g_assert_false (pdm_form_window_is_read_only (window));
  g_assert_cmpstr (current_id (view), ==, "q01");

  /* Backspace goes back a question, and the answer can be changed. */
  g_assert_true (press (view, GDK_KEY_2));
  g_assert_cmpstr (current_id (view), ==, "q02");
  g_assert_true (press (view, GDK_KEY_BackSpace));
  g_assert_cmpstr (current_id (view), ==, "q01");
  g_assert_true (press (view, GDK_KEY_3));
  g_assert_cmpstr (json_object_get_string_member (pdm_form_view_get_answers (view), "q01"), ==,
                   option_value (pdm_form_get_question (form, 0), 3));
  /* A key beyond the options chooses nothing and stays. */
  g_assert_true (press (view, GDK_KEY_9));
  g_assert_cmpstr (current_id (view), ==, "q02");
  g_assert_false (json_object_has_member (pdm_form_view_get_answers (view), "q02"));

  pdm_test_ui_set_window_size (GTK_WINDOW (window), 1024, 600);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "form-data-entry-1024.png");
}

/* A required question skipped with Enter blocks the submit: the message
 * is under it, it becomes current, and nothing is stored. */
static void
test_required_blocks_submit (Fixture       *fixture,
                             gconstpointer  data)
{
  PdmFormWindow *window = open_window (fixture);
  PdmFormView *view;

  g_assert_true (pdm_form_window_select_form (window, "psm-basic-pretest", NULL));
  pdm_form_window_set_data_entry (window, TRUE);
  view = pdm_form_window_get_view (window);

  for (guint i = 0; i < 20; i++)
    g_assert_true (press (view, i == 4 ? GDK_KEY_Return : GDK_KEY_1));
  g_assert_cmpstr (current_id (view), ==, "q20");
  g_assert_true (press (view, GDK_KEY_Return));

  g_assert_cmpint (pdm_test_query_int (db_of (fixture), "SELECT count(*) FROM response"), ==, 0);
  g_assert_cmpstr (pdm_form_window_get_participant (window), ==, fixture->participants[0]);
  g_assert_cmpstr (current_id (view), ==, "q05");
  g_assert_cmpstr (pdm_form_view_get_problem (view, "q05"), ==, _("An answer is required"));
  g_assert_cmpstr (pdm_form_view_get_problem (view, "q05"), ==, "Jawaban wajib diisi");
  g_assert_null (pdm_form_view_get_problem (view, "q04"));
  pdm_test_ui_set_window_size (GTK_WINDOW (window), 1024, 600);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "form-data-entry-problem-1024.png");

  /* Answering it clears the message; then Enter through to the end
   * submits. */
  g_assert_true (press (view, GDK_KEY_4));
  g_assert_null (pdm_form_view_get_problem (view, "q05"));
  g_assert_cmpstr (current_id (view), ==, "q06");
  while (g_strcmp0 (current_id (view), "q20") != 0)
    g_assert_true (press (view, GDK_KEY_Return));
  g_assert_true (press (view, GDK_KEY_Return));
  g_assert_cmpint (n_responses (fixture, fixture->participants[0]), ==, 1);
  g_assert_cmpstr (pdm_form_window_get_participant (window), ==, fixture->participants[1]);
}

static void
toggle_option (PdmFormView *view,
               const char  *question_id,
               guint        n)
{
  GtkWidget *button = gtk_widget_get_first_child (pdm_form_view_get_input (view, question_id));

  for (guint i = 1; i < n; i++)
    button = gtk_widget_get_next_sibling (button);
  if (GTK_IS_CHECK_BUTTON (button))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
}

static void
type_into (PdmFormView *view,
           const char  *question_id,
           const char  *text)
{
  GtkWidget *input = pdm_form_view_get_input (view, question_id);

  if (GTK_IS_TEXT_VIEW (input))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (input), text);
}

/* Whether the window's focus is on @widget or inside it (the text of an
 * entry). */
static gboolean
focus_is_in (PdmFormWindow *window,
             GtkWidget     *widget)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
count_change_cb (guint *n_changes)
{
  (*n_changes)++;
}

/* Skip logic, a calculation and dates in a form of the test's own, filled
 * in live with the inputs a person clicks and types into. */
static void
test_skip_logic (Fixture       *fixture,
                 gconstpointer  data)
{
  PdmFormWindow *window;
  PdmFormView *view;
  g_autoptr(JsonObject) answers = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changes = 0;

  g_assert_true (pdm_training_seed_form_json (db_of (fixture), survey_json, strlen (survey_json),
                                              NULL, NULL, &error));
  g_assert_no_error (error);

  window = open_window (fixture);
  g_assert_true (pdm_form_window_select_form (window, "test-family-survey", NULL));
  pdm_form_window_show_participant (window, fixture->participants[0]);
  view = pdm_form_window_get_view (window);
  g_signal_connect_swapped (view, "answers-changed", G_CALLBACK (count_change_cb), &n_changes);

  /* Not asked until "has children" is answered yes. */
  g_assert_true (pdm_form_view_is_shown (view, "punya_anak"));
  g_assert_false (pdm_form_view_is_shown (view, "jumlah_anak"));
  g_assert_false (pdm_form_view_is_shown (view, "anak_sekolah"));
  toggle_option (view, "punya_anak", 1);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_true (pdm_form_view_is_shown (view, "jumlah_anak"));
  g_assert_false (pdm_form_view_is_shown (view, "anak_sekolah"));

  type_into (view, "jumlah_anak", "3");
  g_assert_true (pdm_form_view_is_shown (view, "anak_sekolah"));
  g_assert_cmpstr (pdm_form_view_get_shown_value (view, "tidak_sekolah"), ==, "—");
  type_into (view, "anak_sekolah", "1");
  g_assert_cmpstr (pdm_form_view_get_shown_value (view, "tidak_sekolah"), ==, "2");

  /* "No" hides both, and their answers no longer count. */
  toggle_option (view, "punya_anak", 2);
  g_assert_false (pdm_form_view_is_shown (view, "jumlah_anak"));
  g_assert_false (pdm_form_view_is_shown (view, "anak_sekolah"));
  g_assert_cmpstr (pdm_form_view_get_shown_value (view, "tidak_sekolah"), ==, "—");

  /* "Yes" again brings them back with what was typed. */
  toggle_option (view, "punya_anak", 1);
  g_assert_true (pdm_form_view_is_shown (view, "anak_sekolah"));
  g_assert_cmpstr (pdm_form_view_get_shown_value (view, "tidak_sekolah"), ==, "2");

  /* Wrong values are told in place, the first one gets the focus. */
  type_into (view, "anak_sekolah", "4");
  type_into (view, "tanggal", "31/02/2025");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "form.submit", NULL));
  g_assert_cmpint (n_responses (fixture, fixture->participants[0]), ==, 0);
  g_assert_cmpstr (pdm_form_view_get_problem (view, "anak_sekolah"), ==,
                   "Tidak boleh lebih dari jumlah anak");
  g_assert_cmpstr (pdm_form_view_get_problem (view, "tanggal"), ==,
                   _("Write the date as day/month/year, such as 25/11/2025"));
  g_assert_cmpstr (current_id (view), ==, "anak_sekolah");
  g_assert_true (focus_is_in (window, pdm_form_view_get_input (view, "anak_sekolah")));

  type_into (view, "anak_sekolah", "2");
  g_assert_null (pdm_form_view_get_problem (view, "anak_sekolah"));

  /* In data entry, Enter leaves a text field for the next question shown
   * (the calculation is passed over), Backspace edits a field that has
   * text, Up goes back. */
  pdm_form_window_set_data_entry (window, TRUE);
  g_assert_cmpstr (pdm_form_window_get_participant (window), ==, fixture->participants[0]);
  g_assert_cmpstr (current_id (view), ==, "punya_anak");
  g_assert_true (press (view, GDK_KEY_Return));
  g_assert_cmpstr (current_id (view), ==, "jumlah_anak");
  g_assert_true (press (view, GDK_KEY_Return));
  g_assert_cmpstr (current_id (view), ==, "anak_sekolah");
  g_assert_true (press (view, GDK_KEY_Return));
  g_assert_cmpstr (current_id (view), ==, "tanggal");
  g_assert_true (focus_is_in (window, pdm_form_view_get_input (view, "tanggal")));
  g_assert_false (press (view, GDK_KEY_BackSpace));
  g_assert_false (press (view, GDK_KEY_5));
  g_assert_true (press (view, GDK_KEY_Up));
  g_assert_cmpstr (current_id (view), ==, "anak_sekolah");
  pdm_form_view_set_current (view, pdm_form_lookup_question (pdm_form_view_get_form (view),
                                                             "tanggal"));
  type_into (view, "tanggal", "25/11/2025");
  g_assert_true (press (view, GDK_KEY_Return));

  /* Stored as they count: the date as YYYY-MM-DD, the calculation in. */
  answers = stored_answers (fixture, fixture->participants[0]);
  g_assert_true (json_object_get_boolean_member (answers, "punya_anak"));
  g_assert_cmpint (json_object_get_int_member (answers, "jumlah_anak"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (answers, "anak_sekolah"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (answers, "tidak_sekolah"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (answers, "tanggal"), ==, "2025-11-25");
  /* The next participant follows. */
  g_assert_cmpstr (pdm_form_window_get_participant (window), ==, fixture->participants[1]);
  g_assert_false (pdm_form_window_is_read_only (window));
}

/* The icon name of the visible image in @widget's tree, or NULL. */
static const char *
find_mark (GtkWidget *widget)
{
  if (GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget) &&
      gtk_image_get_storage_type (GTK_IMAGE (widget)) == GTK_IMAGE_ICON_NAME)
    return gtk_image_get_icon_name (GTK_IMAGE (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = find_mark (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The mark on the participant list's row of @name, NULL for none; the row
 * must be listed. */
static const char *
row_mark (PdmFormWindow *window,
          const char    *name)
{
  GtkListBox *list = GTK_LIST_BOX (pdm_test_ui_get_child (window, "participant_list"));
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, (int) i)) != NULL; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
      return find_mark (GTK_WIDGET (row));

  g_assert_not_reached ();
}

static guint
n_rows (PdmFormWindow *window)
{
  GtkListBox *list = GTK_LIST_BOX (pdm_test_ui_get_child (window, "participant_list"));
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;

  return n;
}

typedef struct
{
  PdmFormWindow *window;
  guint          expected;
} RowsWait;

static gboolean
rows_listed (gpointer data)
{
  RowsWait *wait = data;

  return n_rows (wait->window) == wait->expected;
}

/* Typing in the search; the list follows after the search's delay. */
static void
search (PdmFormWindow *window,
        const char    *text,
        guint          expected)
{
  RowsWait wait = { window, expected };

  gtk_editable_set_text (GTK_EDITABLE (pdm_test_ui_get_child (window, "search_entry")), text);
  g_assert_true (pdm_test_wait_for (NULL, rows_listed, &wait, WAIT_MS));
}

/* Closed as a person closes it (Ctrl+W), not destroyed. */
static void
close_window (PdmFormWindow *window)
{
  pdm_test_ui_activate_until_closed (GTK_WINDOW (window), "window.close");
}

/* What was typed in live mode is there again after the window was closed
 * (at once, before the draft's delay) and opened again. */
static void
test_draft_survives (Fixture       *fixture,
                     gconstpointer  data)
{
  PdmFormWindow *window = open_window (fixture);
  PdmFormView *view;
  JsonObject *answers;
  GtkWidget *suggestion;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_assert_true (pdm_form_window_select_form (window, "organisation-evaluation", NULL));
  pdm_form_window_show_participant (window, fixture->participants[2]);
  view = pdm_form_window_get_view (window);
  toggle_option (view, "kesesuaian_materi", 2);
  toggle_option (view, "konsumsi", 4);
  type_into (view, "saran", "Ruangan terlalu panas siang hari");
  close_window (window);
  g_assert_cmpint (n_drafts (fixture, fixture->participants[2]), ==, 1);

  window = open_window (fixture);
  g_assert_true (pdm_form_window_select_form (window, "organisation-evaluation", NULL));
  pdm_form_window_show_participant (window, fixture->participants[2]);
  view = pdm_form_window_get_view (window);
  g_assert_false (pdm_form_window_is_read_only (window));
  answers = pdm_form_view_get_answers (view);
  g_assert_cmpint (json_object_get_int_member (answers, "kesesuaian_materi"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (answers, "konsumsi"), ==, 1);
  /* ... and the inputs show it. */
  suggestion = pdm_form_view_get_input (view, "saran");
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (suggestion)), &start, &end);
  text = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (text, ==, "Ruangan terlalu panas siang hari");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_widget_get_next_sibling (
    gtk_widget_get_first_child (pdm_form_view_get_input (view, "kesesuaian_materi"))))));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (view), "data-entry") == FALSE);
  g_assert_cmpint (n_responses (fixture, fixture->participants[2]), ==, 0);
  /* The list tells who has a draft. */
  g_assert_cmpstr (row_mark (window, names[2]), ==, "document-edit-symbolic");
  g_assert_null (row_mark (window, names[0]));
}

/* The speaker evaluation is per session; once submitted, it opens
 * read-only, and the keys change nothing. */
static void
test_submitted_read_only (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const aspects[] = {
    "penguasaan_materi", "sistematika_penyajian", "cara_menjawab_pertanyaan",
    "ketepatan_waktu", "metode_dan_media", "sikap_dan_perilaku",
  };
  PdmFormWindow *window = open_window (fixture);
  PdmFormView *view;
  g_autoptr(JsonObject) answers = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (pdm_form_window_select_form (window, "speaker-evaluation",
                                              fixture->session_id));
  pdm_form_window_show_participant (window, fixture->participants[1]);
  view = pdm_form_window_get_view (window);
  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    toggle_option (view, aspects[i], i < 4 ? 1 : 2);
  /* (4 × 4 + 2 × 3) / 6 */
  g_assert_cmpstr (pdm_form_view_get_shown_value (view, "rata_rata"), ==, "3,67");
  type_into (view, "saran", "Contoh kasus dari Bukittinggi akan membantu.");
  pdm_test_ui_set_window_size (GTK_WINDOW (window), 1366, 768);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "form-live.png");
  pdm_test_ui_set_window_size (GTK_WINDOW (window), 1024, 600);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "form-live-1024.png");
  /* The end of the form: the average and the suggestions. */
  pdm_form_view_set_current (view, pdm_form_lookup_question (pdm_form_view_get_form (view),
                                                             "saran"));
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "form-live-end-1024.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "form.submit", NULL));
  g_assert_cmpint (n_responses (fixture, fixture->participants[1]), ==, 1);
  g_assert_cmpint (count (fixture, "response", "session_id", fixture->session_id), ==, 1);
  answers = stored_answers (fixture, fixture->participants[1]);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (answers, "rata_rata"), 3.67,
                                  1e-9);
  g_assert_true (pdm_form_window_is_read_only (window));
  g_assert_cmpuint (pdm_form_window_get_n_submitted (window), ==, 1);
  close_window (window);

  /* Opened again: read-only, as stored, with the submit disabled. */
  window = open_window (fixture);
  g_assert_true (pdm_form_window_select_form (window, "speaker-evaluation",
                                              fixture->session_id));
  pdm_form_window_show_participant (window, fixture->participants[1]);
  view = pdm_form_window_get_view (window);
  g_assert_true (pdm_form_window_is_read_only (window));
  g_assert_false (pdm_form_view_get_editable (view));
  /* The list marks who submitted, and finds by name. */
  g_assert_cmpuint (n_rows (window), ==, 3);
  g_assert_cmpstr (row_mark (window, names[1]), ==, "emblem-ok-symbolic");
  g_assert_null (row_mark (window, names[2]));
  search (window, "yuli", 1);
  g_assert_null (row_mark (window, names[2]));
  search (window, "", 3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pdm_test_ui_get_child (window,
                                                                           "status_box"))));
  g_assert_cmpint (json_object_get_int_member (pdm_form_view_get_answers (view),
                                               "ketepatan_waktu"), ==, 4);
  /* The choices take no click and no focus. */
  g_assert_false (gtk_widget_get_can_target (pdm_form_view_get_input (view, "ketepatan_waktu")));
  g_assert_false (gtk_widget_get_focusable (gtk_widget_get_first_child (
    pdm_form_view_get_input (view, "ketepatan_waktu"))));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (pdm_form_view_get_input (view,
                                                                                     "saran"))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (pdm_test_ui_get_child (window,
                                                                              "submit_button"))));
  /* Ctrl+Enter */
  gtk_widget_activate_action (GTK_WIDGET (window), "form.submit", NULL);
  g_assert_cmpint (n_responses (fixture, fixture->participants[1]), ==, 1);
  pdm_test_ui_save_screenshot (GTK_WIDGET (window), "form-submitted.png");

  /* In data entry, the keys choose nothing in a submitted form. */
  before = pdm_form_answers_to_string (pdm_form_view_get_answers (view));
  pdm_form_window_set_data_entry (window, TRUE);
  g_assert_cmpstr (pdm_form_window_get_participant (window), ==, fixture->participants[2]);
  pdm_form_window_show_participant (window, fixture->participants[1]);
  pdm_form_view_go_first (view);
  g_assert_true (press (view, GDK_KEY_3));
  after = pdm_form_answers_to_string (pdm_form_view_get_answers (view));
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (n_responses (fixture, fixture->participants[1]), ==, 1);
  g_assert_cmpint (pdm_test_query_int (db_of (fixture), "SELECT count(*) FROM response_draft"),
                   ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  pdm_test_ui_init (&argc, &argv);

  g_test_add ("/ui/forms/data-entry", Fixture, NULL,
              fixture_set_up, test_data_entry, fixture_tear_down);
  g_test_add ("/ui/forms/required-blocks-submit", Fixture, NULL,
              fixture_set_up, test_required_blocks_submit, fixture_tear_down);
  g_test_add ("/ui/forms/skip-logic", Fixture, NULL,
              fixture_set_up, test_skip_logic, fixture_tear_down);
  g_test_add ("/ui/forms/draft-survives-reopening", Fixture, NULL,
              fixture_set_up, test_draft_survives, fixture_tear_down);
  g_test_add ("/ui/forms/submitted-read-only", Fixture, NULL,
              fixture_set_up, test_submitted_read_only, fixture_tear_down);

  return g_test_run ();
}
