/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-form-window"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "pdm-form-window.h"
#include "pdm-training.h"
#include "pdm-ui-util.h"

/* Drafts are written this long after the last keystroke: often enough that
 * a crash loses a few seconds of typing, rarely enough not to write on
 * every key. */
#define DRAFT_DELAY_MS 1000

/* The shipped speaker evaluation is one sheet per speaker (docs/forms.md):
 * its responses belong to a session. */
#define SPEAKER_EVALUATION_KEY "speaker-evaluation"

/* The forms in the order of a training day; others follow by title. */
static const char * const form_order[] = {
  "psm-basic-pretest", "psm-basic-posttest", SPEAKER_EVALUATION_KEY, "organisation-evaluation",
};

struct _PdmFormWindow
{
  AdwWindow          parent_instance;

  PdmApplication    *application;
  char              *training_id;

  /* The newest version of each form, in the order offered. */
  GPtrArray         *forms;
  /* Every version's key, form id → form_key, to count a response made
   * with an older version of the chosen form. */
  GHashTable        *form_keys;
  /* Parsed definitions, form id → PdmForm. */
  GHashTable        *parsed;
  GPtrArray         *sessions;
  /* All participants, sorted by name: the order of data entry. */
  GPtrArray         *participants;
  /* Of the chosen form and session: participant id → response, and the
   * set of participant ids with a draft. */
  GHashTable        *responses;
  GHashTable        *drafts;
  /* participant id → its row in the list, for the marks. */
  GHashTable        *rows;

  const PdmRecord   *form_record;
  PdmForm           *form;
  char              *session_id;
  char              *participant_id;
  PdmResponseDraft  *draft;
  gboolean           read_only;
  gboolean           dirty;
  gboolean           data_entry;
  /* Set while the list or the dropdowns change by program, not by hand. */
  gboolean           updating;
  guint              save_source;
  PdmFormView       *view;

  AdwWindowTitle    *window_title;
  GtkWidget         *submit_button;
  AdwToastOverlay   *toast_overlay;
  GtkWidget         *sidebar;
  GtkWidget         *sidebar_separator;
  GtkDropDown       *form_dropdown;
  GtkWidget         *session_label;
  GtkDropDown       *session_dropdown;
  GtkSearchEntry    *search_entry;
  GtkListBox        *participant_list;
  GtkLabel          *participant_label;
  GtkLabel          *counter_label;
  GtkWidget         *keys_label;
  GtkWidget         *status_box;
  GtkLabel          *status_label;
  GtkStack          *stack;
  AdwStatusPage     *message_page;
  AdwClamp          *form_clamp;
};

G_DEFINE_FINAL_TYPE (PdmFormWindow, pdm_form_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_DATA_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_participant (PdmFormWindow *self,
                              const char    *participant_id);

static PdmRepository *
get_repository (PdmFormWindow *self)
{
  return pdm_application_get_repository (self->application);
}

static void
show_error (PdmFormWindow *self,
            const GError  *error)
{
  adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));
}

static gboolean
form_is_per_session (const PdmRecord *form)
{
  return form != NULL && g_strcmp0 (pdm_record_get (form, "form_key"),
                                    SPEAKER_EVALUATION_KEY) == 0;
}

/* The parsed definition of the form @form_id, any version. */
static PdmForm *
get_form (PdmFormWindow  *self,
          const char     *form_id,
          GError        **error)
{
  PdmForm *form = g_hash_table_lookup (self->parsed, form_id);
  g_autoptr(PdmRecord) record = NULL;

  if (form != NULL)
    return form;

  record = pdm_repository_get (get_repository (self), PDM_TABLE_FORM, form_id, error);
  if (record == NULL)
    return NULL;
  form = pdm_form_new_from_string (pdm_record_get (record, "definition"), -1, error);
  if (form != NULL)
    g_hash_table_insert (self->parsed, g_strdup (form_id), form);

  return form;
}

static const char *
participant_name (const PdmParticipantRow *row)
{
  if (row->full_name != NULL)
    return row->full_name;
  if (row->nik != NULL)
    return row->nik;

  /* A kelurahan device holds only its own kelurahan's PSM. */
  return _("A PSM this device does not hold");
}

static guint
find_participant (PdmFormWindow *self,
                  const char    *participant_id)
{
  for (guint i = 0; participant_id != NULL && i < self->participants->len; i++)
    {
      const PdmParticipantRow *row = g_ptr_array_index (self->participants, i);

      if (g_str_equal (row->participant->id, participant_id))
        return i;
    }

  return G_MAXUINT;
}

/* --- what is submitted ---------------------------------------------------- */

static void
update_counter (PdmFormWindow *self)
{
  guint total = self->participants->len;
  guint submitted = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < total; i++)
    {
      const PdmParticipantRow *row = g_ptr_array_index (self->participants, i);

      submitted += g_hash_table_contains (self->responses, row->participant->id);
    }

  if (self->form_record != NULL && total > 0)
    /* Translators: the forms submitted of the participants of a training */
    text = g_strdup_printf (ngettext ("%u of %u submitted", "%u of %u submitted", total),
                            submitted, total);
  gtk_label_set_label (self->counter_label, text != NULL ? text : "");
}

static void
update_row_mark (PdmFormWindow *self,
                 const char    *participant_id)
{
  AdwActionRow *row = g_hash_table_lookup (self->rows, participant_id);
  GtkImage *mark;
  const char *icon = NULL;
  const char *description = NULL;

  if (row == NULL)
    return;

  mark = g_object_get_data (G_OBJECT (row), "mark");
  if (g_hash_table_contains (self->responses, participant_id))
    icon = "emblem-ok-symbolic", description = _("Submitted");
  else if (g_hash_table_contains (self->drafts, participant_id))
    icon = "document-edit-symbolic", description = _("Draft saved");

  gtk_image_set_from_icon_name (mark, icon);
  gtk_widget_set_visible (GTK_WIDGET (mark), icon != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (mark), description);
  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Reads who submitted the chosen form (any version of it) for the chosen
 * session, and who has a draft of it. */
static void
reload_marks (PdmFormWindow *self)
{
  PdmRepository *repository = get_repository (self);
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  const char *key = self->form_record != NULL ? pdm_record_get (self->form_record, "form_key")
                                              : NULL;
  GHashTableIter iter;
  gpointer participant_id;

  g_hash_table_remove_all (self->responses);
  g_hash_table_remove_all (self->drafts);

  if (key != NULL)
    responses = pdm_training_list_responses (repository, self->training_id, NULL, &error);
  for (guint i = 0; responses != NULL && i < responses->len; i++)
    {
      PdmRecord *response = g_ptr_array_index (responses, i);
      const char *participant = pdm_record_get (response, "participant_id");

      if (participant == NULL ||
          g_strcmp0 (g_hash_table_lookup (self->form_keys, pdm_record_get (response, "form_id")),
                     key) != 0 ||
          g_strcmp0 (pdm_record_get (response, "session_id"), self->session_id) != 0)
        continue;
      g_hash_table_replace (self->responses, g_strdup (participant),
                            g_steal_pointer (&g_ptr_array_index (responses, i)));
    }

  if (key != NULL && error == NULL)
    drafts = pdm_training_list_drafts (repository, self->training_id, &error);
  for (guint i = 0; drafts != NULL && i < drafts->len; i++)
    {
      PdmResponseDraft *draft = g_ptr_array_index (drafts, i);

      if (draft->participant_id != NULL &&
          g_strcmp0 (draft->form_id, self->form_record->id) == 0 &&
          g_strcmp0 (draft->session_id, self->session_id) == 0)
        g_hash_table_add (self->drafts, g_strdup (draft->participant_id));
    }

  if (error != NULL)
    show_error (self, error);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &participant_id, NULL))
    update_row_mark (self, participant_id);
  update_counter (self);
}

/* --- the participant list ------------------------------------------------- */

static GtkWidget *
participant_row_new (PdmFormWindow           *self,
                     const PdmParticipantRow *participant)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *mark = gtk_image_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), participant_name (participant));
  if (participant->kelurahan_name != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), participant->kelurahan_name);
  gtk_widget_add_css_class (mark, "success");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
  g_object_set_data (G_OBJECT (row), "mark", mark);
  g_object_set_data_full (G_OBJECT (row), "participant-id",
                          g_strdup (participant->participant->id), g_free);

  g_hash_table_replace (self->rows, g_strdup (participant->participant->id), row);
  update_row_mark (self, participant->participant->id);

  return row;
}

static void
select_row (PdmFormWindow *self,
            const char    *participant_id)
{
  GtkWidget *row = participant_id != NULL ? g_hash_table_lookup (self->rows, participant_id)
                                          : NULL;

  self->updating = TRUE;
  if (row != NULL)
    gtk_list_box_select_row (self->participant_list, GTK_LIST_BOX_ROW (row));
  else
    gtk_list_box_unselect_all (self->participant_list);
  self->updating = FALSE;
}

/* The rows of the participants whose name or NIK starts as searched. */
static void
fill_list (PdmFormWindow *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  self->updating = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->participant_list))) != NULL)
    gtk_list_box_remove (self->participant_list, child);
  g_hash_table_remove_all (self->rows);
  self->updating = FALSE;

  if (*search == '\0')
    found = g_ptr_array_ref (self->participants);
  else
    found = pdm_training_list_participants (get_repository (self), self->training_id, search,
                                            &error);
  if (found == NULL)
    {
      show_error (self, error);
      return;
    }

  for (guint i = 0; i < found->len; i++)
    gtk_list_box_append (self->participant_list,
                         participant_row_new (self, g_ptr_array_index (found, i)));
  select_row (self, self->participant_id);
}

static void
on_search_changed_cb (PdmFormWindow *self)
{
  fill_list (self);
}

/* Enter in the search: the first participant found. */
static void
on_search_activate_cb (PdmFormWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->participant_list, 0);

  if (row != NULL)
    {
      show_participant (self, g_object_get_data (G_OBJECT (row), "participant-id"));
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
on_row_selected_cb (PdmFormWindow *self,
                    GtkListBoxRow *row)
{
  if (self->updating || row == NULL)
    return;

  show_participant (self, g_object_get_data (G_OBJECT (row), "participant-id"));
}

static void
reload_participants (PdmFormWindow *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *participants;

  participants = pdm_training_list_participants (get_repository (self), self->training_id, NULL,
                                                 &error);
  if (participants == NULL)
    {
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  self->participants = participants;
  fill_list (self);
  update_counter (self);
}

/* --- drafts --------------------------------------------------------------- */

/* A draft, not saved yet, of the form shown. */
static PdmResponseDraft *
new_draft (PdmFormWindow *self)
{
  PdmResponseDraft *draft = pdm_response_draft_new ();

  draft->form_id = g_strdup (self->form_record->id);
  draft->training_id = g_strdup (self->training_id);
  draft->participant_id = g_strdup (self->participant_id);
  draft->session_id = g_strdup (self->session_id);

  return draft;
}

static gboolean
save_draft (PdmFormWindow  *self,
            GError        **error)
{
  JsonObject *answers;
  gboolean created;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!self->dirty || self->view == NULL || self->read_only)
    return TRUE;
  self->dirty = FALSE;

  answers = pdm_form_view_get_answers (self->view);
  /* Opening a form and leaving it is no draft. */
  if (self->draft == NULL && json_object_get_size (answers) == 0)
    return TRUE;

  created = self->draft == NULL;
  if (created)
    self->draft = new_draft (self);
  g_free (self->draft->answers);
  self->draft->answers = pdm_form_answers_to_string (answers);

  if (!pdm_training_save_draft (get_repository (self), self->draft, error))
    {
      if (created)
        g_clear_pointer (&self->draft, pdm_response_draft_free);
      return FALSE;
    }

  if (created)
    {
      g_hash_table_add (self->drafts, g_strdup (self->participant_id));
      update_row_mark (self, self->participant_id);
    }

  return TRUE;
}

/* Before anything else is shown: what was typed is kept. */
static void
flush_draft (PdmFormWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!save_draft (self, &error))
    show_error (self, error);
}

static gboolean
save_draft_cb (gpointer user_data)
{
  PdmFormWindow *self = user_data;

  self->save_source = 0;
  flush_draft (self);

  return G_SOURCE_REMOVE;
}

static void
on_answers_changed_cb (PdmFormWindow *self)
{
  if (self->read_only)
    return;

  self->dirty = TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (DRAFT_DELAY_MS, save_draft_cb, self);
}

/* --- showing -------------------------------------------------------------- */

static void
show_message (PdmFormWindow *self,
              const char    *icon_name,
              const char    *title,
              const char    *description)
{
  adw_status_page_set_icon_name (self->message_page, icon_name);
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_stack_set_visible_child_name (self->stack, "message");
  gtk_widget_set_visible (self->status_box, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.submit", FALSE);
}

static void on_entry_finished_cb (PdmFormWindow *self);

/* The view of @form, made anew only for another form (or version). */
static void
ensure_view (PdmFormWindow *self,
             PdmForm       *form)
{
  if (self->view != NULL && pdm_form_view_get_form (self->view) == form)
    return;

  self->view = PDM_FORM_VIEW (pdm_form_view_new (form));
  pdm_form_view_set_data_entry (self->view, self->data_entry);
  g_signal_connect_object (self->view, "answers-changed", G_CALLBACK (on_answers_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "entry-finished", G_CALLBACK (on_entry_finished_cb), self,
                           G_CONNECT_SWAPPED);
  adw_clamp_set_child (self->form_clamp, GTK_WIDGET (self->view));
}

/* "Submitted on 25 November 2025 10.42 · score 14 of 20 (70%)". */
static char *
describe_response (const PdmRecord *response)
{
  g_autoptr(GDateTime) submitted = g_date_time_new_from_iso8601 (pdm_record_get (response,
                                                                                 "submitted_at"),
                                                                  NULL);
  g_autofree char *when = submitted != NULL ? pdm_format_time (g_date_time_to_unix (submitted))
                                            : g_strdup ("?");
  const char *score = pdm_record_get (response, "score");
  const char *max = pdm_record_get (response, "max_score");

  if (score != NULL && max != NULL)
    {
      double percent = pdm_score_percent (g_ascii_strtod (score, NULL),
                                          g_ascii_strtod (max, NULL));
      g_autofree char *percent_text = isnan (percent) ? g_strdup ("—")
                                                      : pdm_format_decimal (percent, 0);

      /* Translators: when a form was submitted, the score, the highest
       * score, the score as a percentage */
      return g_strdup_printf (_("Submitted %s · score %s of %s (%s%%). A submitted form cannot "
                                "be changed."),
                              when, score, max, percent_text);
    }

  /* Translators: %s is when a form was submitted */
  return g_strdup_printf (_("Submitted %s. A submitted form cannot be changed."), when);
}

static void
update_participant_label (PdmFormWindow *self)
{
  guint position = find_participant (self, self->participant_id);
  g_autofree char *text = NULL;

  if (position != G_MAXUINT)
    /* Translators: the position of a participant in the list, the number of
     * participants, and the participant's name */
    text = g_strdup_printf (_("Participant %u of %u — %s"), position + 1,
                            self->participants->len,
                            participant_name (g_ptr_array_index (self->participants, position)));
  gtk_label_set_label (self->participant_label, text != NULL ? text : "");
}

/* Shows the page that says why no form can show and returns TRUE, or
 * returns FALSE when one can. */
static gboolean
show_blocker (PdmFormWindow *self)
{
  if (self->form_record == NULL)
    show_message (self, "dialog-warning-symbolic", _("No Forms"),
                  _("This computer has no evaluation forms yet. They come with Pendamping "
                    "and with the next sync."));
  else if (form_is_per_session (self->form_record) && self->session_id == NULL)
    show_message (self, "x-office-calendar-symbolic", _("No Sessions Yet"),
                  _("A speaker evaluation is filled in for one session of the training. Add "
                    "the sessions of this training first."));
  else if (self->participants->len == 0)
    show_message (self, "system-users-symbolic", _("No Participants Yet"),
                  _("Add the participants of this training first; each fills in their own "
                    "forms."));
  else if (self->participant_id == NULL)
    show_message (self, "document-edit-symbolic", _("Choose a Participant"),
                  _("Pick a name from the list, or switch on data entry (Ctrl+E) to type in a "
                    "pile of paper forms one after another."));
  else
    return FALSE;

  return TRUE;
}

static void
show_participant (PdmFormWindow *self,
                  const char    *participant_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answers = NULL;
  g_autofree char *id = g_strdup (participant_id);
  const PdmRecord *response;
  PdmForm *form;

  flush_draft (self);
  g_clear_pointer (&self->draft, pdm_response_draft_free);
  self->dirty = FALSE;
  pdm_set_string (&self->participant_id, find_participant (self, id) != G_MAXUINT ? id : NULL);
  update_participant_label (self);
  select_row (self, self->participant_id);

  if (show_blocker (self))
    return;

  response = g_hash_table_lookup (self->responses, self->participant_id);
  self->read_only = response != NULL;
  if (response != NULL)
    {
      /* Shown with the version it was made with. */
      form = get_form (self, pdm_record_get (response, "form_id"), &error);
      if (form != NULL)
        answers = pdm_form_answers_new_from_string (pdm_record_get (response, "answers"), &error);
    }
  else
    {
      form = self->form;
      self->draft = pdm_training_find_draft (get_repository (self), self->form_record->id,
                                             self->participant_id, self->session_id, &error);
      if (self->draft != NULL)
        answers = pdm_form_answers_new_from_string (self->draft->answers, &error);
    }

  if (error != NULL)
    {
      show_message (self, "dialog-error-symbolic", _("The Form Cannot Be Shown"), error->message);
      return;
    }

  ensure_view (self, form);
  pdm_form_view_set_answers (self->view, answers);
  pdm_form_view_set_editable (self->view, !self->read_only);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.submit", !self->read_only);

  gtk_widget_set_visible (self->status_box, response != NULL);
  if (response != NULL)
    {
      g_autofree char *status = describe_response (response);

      gtk_label_set_label (self->status_label, status);
    }

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (
                              GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
                                GTK_WIDGET (self->form_clamp), GTK_TYPE_SCROLLED_WINDOW))),
                            0);
  if (self->data_entry)
    pdm_form_view_go_first (self->view);
}

/* From the participant shown on, wrapping round: the first who has not
 * submitted the form, or NULL when all have. */
static const char *
next_without_response (PdmFormWindow *self,
                       gboolean       include_current)
{
  guint n = self->participants->len;
  guint start = find_participant (self, self->participant_id);

  if (start == G_MAXUINT)
    start = 0, include_current = TRUE;

  for (guint k = include_current ? 0 : 1; k < n; k++)
    {
      const PdmParticipantRow *row = g_ptr_array_index (self->participants, (start + k) % n);

      if (!g_hash_table_contains (self->responses, row->participant->id))
        return row->participant->id;
    }

  return NULL;
}

static void
show_next_without_response (PdmFormWindow *self,
                            gboolean       include_current)
{
  const char *next = self->participants->len > 0 ? next_without_response (self, include_current)
                                                 : NULL;

  if (next != NULL || self->participants->len == 0)
    {
      show_participant (self, next);
      return;
    }

  show_participant (self, NULL);
  if (self->form_record != NULL)
    show_message (self, "emblem-ok-symbolic", _("All Forms Submitted"),
                  _("Every participant has submitted this form."));
}

/* --- the form and session ------------------------------------------------- */

static void
choose_form (PdmFormWindow *self,
             guint          index)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *participant_id = g_strdup (self->participant_id);
  gboolean per_session;

  flush_draft (self);
  g_clear_pointer (&self->draft, pdm_response_draft_free);

  self->form_record = index < self->forms->len ? g_ptr_array_index (self->forms, index) : NULL;
  self->form = NULL;
  if (self->form_record != NULL)
    self->form = get_form (self, self->form_record->id, &error);
  if (self->form_record != NULL && self->form == NULL)
    {
      show_error (self, error);
      self->form_record = NULL;
    }

  per_session = form_is_per_session (self->form_record);
  gtk_widget_set_visible (self->session_label, per_session);
  gtk_widget_set_visible (GTK_WIDGET (self->session_dropdown), per_session);
  g_clear_pointer (&self->session_id, g_free);
  if (per_session)
    {
      guint selected = gtk_drop_down_get_selected (self->session_dropdown);

      if (selected < self->sessions->len)
        self->session_id = g_strdup (((PdmRecord *) g_ptr_array_index (self->sessions,
                                                                      selected))->id);
    }

  adw_window_title_set_title (self->window_title,
                              self->form_record != NULL ? pdm_record_get (self->form_record,
                                                                          "title")
                                                        : _("Fill In Forms"));
  reload_marks (self);

  if (self->data_entry)
    show_next_without_response (self, TRUE);
  else
    show_participant (self, participant_id);
}

static void
on_form_selected_cb (PdmFormWindow *self)
{
  if (!self->updating)
    choose_form (self, gtk_drop_down_get_selected (self->form_dropdown));
}

static void
on_session_selected_cb (PdmFormWindow *self)
{
  if (!self->updating)
    choose_form (self, gtk_drop_down_get_selected (self->form_dropdown));
}

static int
form_rank (const PdmRecord *form)
{
  for (guint i = 0; i < G_N_ELEMENTS (form_order); i++)
    if (g_strcmp0 (pdm_record_get (form, "form_key"), form_order[i]) == 0)
      return (int) i;

  return G_N_ELEMENTS (form_order);
}

static int
compare_forms (gconstpointer a,
               gconstpointer b)
{
  const PdmRecord *form_a = *(const PdmRecord **) a;
  const PdmRecord *form_b = *(const PdmRecord **) b;
  int rank_a = form_rank (form_a);
  int rank_b = form_rank (form_b);

  if (rank_a != rank_b)
    return rank_a - rank_b;

  return g_utf8_collate (pdm_record_get (form_a, "title"), pdm_record_get (form_b, "title"));
}

static void
load_forms (PdmFormWindow *self)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;

  all = pdm_training_list_forms (get_repository (self), FALSE, &error);
  if (all == NULL)
    {
      show_error (self, error);
      return;
    }

  for (guint i = 0; i < all->len; i++)
    {
      PdmRecord *form = g_ptr_array_index (all, i);
      const char *key = pdm_record_get (form, "form_key");

      /* Listed by key, the newest version first. */
      if (!g_hash_table_contains (self->form_keys, form->id) &&
          (i == 0 || g_strcmp0 (key, pdm_record_get (g_ptr_array_index (all, i - 1),
                                                     "form_key")) != 0))
        g_ptr_array_add (self->forms, pdm_record_copy (form));
      g_hash_table_replace (self->form_keys, g_strdup (form->id), g_strdup (key));
    }
  g_ptr_array_sort (self->forms, compare_forms);

  for (guint i = 0; i < self->forms->len; i++)
    gtk_string_list_append (titles, pdm_record_get (g_ptr_array_index (self->forms, i), "title"));
  self->updating = TRUE;
  gtk_drop_down_set_model (self->form_dropdown, G_LIST_MODEL (titles));
  self->updating = FALSE;
}

/* "Kebijakan Kemensos — Dra. Yusnimar" */
static void
load_sessions (PdmFormWindow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *sessions;
  guint selected = 0;

  sessions = pdm_training_list_sessions (get_repository (self), self->training_id, &error);
  if (sessions == NULL)
    {
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  self->sessions = sessions;

  for (guint i = 0; i < sessions->len; i++)
    {
      const PdmRecord *session = g_ptr_array_index (sessions, i);
      const char *speaker = pdm_record_get (session, "speaker");
      g_autofree char *label = NULL;

      if (speaker != NULL)
        /* Translators: a session's topic and its speaker */
        label = g_strdup_printf (_("%s — %s"), pdm_record_get (session, "topic"), speaker);
      else
        label = g_strdup (pdm_record_get (session, "topic"));
      gtk_string_list_append (labels, label);
      if (g_strcmp0 (session->id, self->session_id) == 0)
        selected = i;
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->session_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->session_dropdown, selected);
  self->updating = FALSE;
}

static void
on_records_changed_cb (PdmFormWindow *self,
                       guint          table)
{
  switch (table)
    {
    case PDM_TABLE_TRAINING_SESSION:
      load_sessions (self);
      /* The first session of a speaker evaluation, or its session gone. */
      if (form_is_per_session (self->form_record))
        choose_form (self, gtk_drop_down_get_selected (self->form_dropdown));
      break;

    case PDM_TABLE_PARTICIPANT:
    case PDM_TABLE_VOLUNTEER:
      reload_participants (self);
      /* The first participants, or the one shown removed. */
      if (find_participant (self, self->participant_id) == G_MAXUINT)
        {
          if (self->data_entry)
            show_next_without_response (self, TRUE);
          else
            show_participant (self, NULL);
        }
      break;

    case PDM_TABLE_RESPONSE:
      reload_marks (self);
      break;

    default:
      break;
    }
}

/* --- submitting ----------------------------------------------------------- */

static void
submit (PdmFormWindow *self)
{
  PdmRepository *repository = get_repository (self);
  g_autoptr(JsonObject) computed = NULL;
  g_autoptr(PdmRecord) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *message = NULL;
  const PdmParticipantRow *row;
  double score = 0, max = 0;
  gboolean scored;

  if (self->view == NULL || self->participant_id == NULL || self->read_only)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  /* Nothing is stored while an answer is wrong; the problems show in
   * place, and the first gets the focus. */
  if (!pdm_form_view_validate (self->view))
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   pdm_toast_new (_("Not submitted: an answer is missing or "
                                                    "wrong")));
      return;
    }

  /* The response is the draft with the answers as they count: calculated
   * values in, skipped questions out. */
  self->dirty = TRUE;
  if (!save_draft (self, &error))
    {
      show_error (self, error);
      return;
    }
  /* An empty form that is valid (nothing required) has no draft yet. */
  if (self->draft == NULL)
    self->draft = new_draft (self);

  computed = pdm_form_compute (self->form, pdm_form_view_get_answers (self->view));
  scored = pdm_form_score (self->form, computed, &score, &max);
  typed = g_steal_pointer (&self->draft->answers);
  self->draft->answers = pdm_form_answers_to_string (computed);
  if (pdm_training_save_draft (repository, self->draft, &error))
    response = pdm_training_submit_draft (repository, self->draft->id,
                                          scored ? (gint64) llround (score) : -1,
                                          scored ? (gint64) llround (max) : -1, &error);
  if (response == NULL)
    {
      /* The draft keeps what was typed. */
      g_free (self->draft->answers);
      self->draft->answers = g_steal_pointer (&typed);
      pdm_training_save_draft (repository, self->draft, NULL);
      show_error (self, error);
      return;
    }

  g_clear_pointer (&self->draft, pdm_response_draft_free);
  self->dirty = FALSE;
  pdm_application_records_changed (self->application, PDM_TABLE_RESPONSE);

  row = g_ptr_array_index (self->participants, find_participant (self, self->participant_id));
  if (scored)
    {
      g_autofree char *score_text = pdm_format_decimal (score, 0);
      g_autofree char *max_text = pdm_format_decimal (max, 0);

      /* Translators: a participant's name, the score and the highest score */
      message = g_strdup_printf (_("Submitted for %s: score %s of %s"), participant_name (row),
                                 score_text, max_text);
    }
  else
    /* Translators: %s is a participant's name */
    message = g_strdup_printf (_("Submitted for %s"), participant_name (row));
  adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (message));

  if (self->data_entry)
    show_next_without_response (self, FALSE);
  else
    show_participant (self, self->participant_id);
}

static void
submit_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  submit (PDM_FORM_WINDOW (widget));
}

/* Enter on the last question of a data entry: submit it, or, for a form
 * already submitted, go on to the next participant. */
static void
on_entry_finished_cb (PdmFormWindow *self)
{
  if (self->read_only)
    show_next_without_response (self, FALSE);
  else
    submit (self);
}

/* Ctrl+Page Down / Up: another participant, for a sheet that is missing
 * from the pile. */
static void
step_participant_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PdmFormWindow *self = PDM_FORM_WINDOW (widget);
  guint n = self->participants->len;
  guint position = find_participant (self, self->participant_id);
  int step = g_str_equal (action_name, "form.next-participant") ? 1 : -1;

  if (n == 0)
    return;
  if (position == G_MAXUINT)
    position = step > 0 ? n - 1 : 0;

  show_participant (self, ((PdmParticipantRow *) g_ptr_array_index (self->participants,
                                                                    (position + n + step) % n))
                            ->participant->id);
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmFormWindow *self = PDM_FORM_WINDOW (widget);

  pdm_form_window_set_data_entry (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* --- public --------------------------------------------------------------- */

/**
 * pdm_form_window_new:
 * @application: the application, with its database open
 * @training_id: the training whose forms are filled in
 *
 * Returns: (transfer floating): a window on the first form of the day
 *   (the pre-test), without a participant chosen
 */
PdmFormWindow *
pdm_form_window_new (PdmApplication *application,
                     const char     *training_id)
{
  PdmFormWindow *self;
  g_autoptr(PdmRecord) training = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (pdm_application_get_repository (application) != NULL, NULL);
  g_return_val_if_fail (training_id != NULL, NULL);

  self = g_object_new (PDM_TYPE_FORM_WINDOW,
                       "application", application,
                       NULL);
  self->application = g_object_ref (application);
  self->training_id = g_strdup (training_id);

  training = pdm_repository_get (get_repository (self), PDM_TABLE_TRAINING, training_id, &error);
  if (training != NULL)
    adw_window_title_set_subtitle (self->window_title, pdm_record_get (training, "title"));
  else
    show_error (self, error);

  load_forms (self);
  load_sessions (self);
  reload_participants (self);
  g_signal_connect_object (application, "records-changed", G_CALLBACK (on_records_changed_cb),
                           self, G_CONNECT_SWAPPED);

  choose_form (self, 0);

  return self;
}

/**
 * pdm_form_window_select_form:
 * @form_key: the key of a form, such as "psm-basic-pretest"
 * @session_id: (nullable): for a speaker evaluation, the session
 *
 * Returns: whether the form (and session) could be chosen
 */
gboolean
pdm_form_window_select_form (PdmFormWindow *self,
                             const char    *form_key,
                             const char    *session_id)
{
  guint form_index = G_MAXUINT;
  guint session_index = G_MAXUINT;

  g_return_val_if_fail (PDM_IS_FORM_WINDOW (self), FALSE);
  g_return_val_if_fail (form_key != NULL, FALSE);

  for (guint i = 0; i < self->forms->len; i++)
    if (g_strcmp0 (pdm_record_get (g_ptr_array_index (self->forms, i), "form_key"), form_key) == 0)
      form_index = i;
  for (guint i = 0; session_id != NULL && i < self->sessions->len; i++)
    if (g_str_equal (((PdmRecord *) g_ptr_array_index (self->sessions, i))->id, session_id))
      session_index = i;
  if (form_index == G_MAXUINT || (session_id != NULL && session_index == G_MAXUINT))
    return FALSE;

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->form_dropdown, form_index);
  if (session_index != G_MAXUINT)
    gtk_drop_down_set_selected (self->session_dropdown, session_index);
  self->updating = FALSE;
  choose_form (self, form_index);

  return TRUE;
}

/* The key of the form chosen, or NULL. */
const char *
pdm_form_window_get_form_key (PdmFormWindow *self)
{
  g_return_val_if_fail (PDM_IS_FORM_WINDOW (self), NULL);

  return self->form_record != NULL ? pdm_record_get (self->form_record, "form_key") : NULL;
}

/* Shows the chosen form of @participant_id: its response, read-only, once
 * submitted, else its draft or an empty form. */
void
pdm_form_window_show_participant (PdmFormWindow *self,
                                  const char    *participant_id)
{
  g_return_if_fail (PDM_IS_FORM_WINDOW (self));

  show_participant (self, participant_id);
}

/* The participant whose form shows, or NULL. */
const char *
pdm_form_window_get_participant (PdmFormWindow *self)
{
  g_return_val_if_fail (PDM_IS_FORM_WINDOW (self), NULL);

  return self->participant_id;
}

/* The view of the form shown, or NULL before any. */
PdmFormView *
pdm_form_window_get_view (PdmFormWindow *self)
{
  g_return_val_if_fail (PDM_IS_FORM_WINDOW (self), NULL);

  return self->view;
}

/* Whether the form shown is a submitted response. */
gboolean
pdm_form_window_is_read_only (PdmFormWindow *self)
{
  g_return_val_if_fail (PDM_IS_FORM_WINDOW (self), FALSE);

  return self->read_only;
}

/* How many participants submitted the chosen form. */
guint
pdm_form_window_get_n_submitted (PdmFormWindow *self)
{
  guint n = 0;

  g_return_val_if_fail (PDM_IS_FORM_WINDOW (self), 0);

  for (guint i = 0; i < self->participants->len; i++)
    n += g_hash_table_contains (self->responses,
                                ((PdmParticipantRow *) g_ptr_array_index (self->participants,
                                                                          i))->participant->id);

  return n;
}

gboolean
pdm_form_window_get_data_entry (PdmFormWindow *self)
{
  g_return_val_if_fail (PDM_IS_FORM_WINDOW (self), FALSE);

  return self->data_entry;
}

/* Data entry hides the list, and starts with the participant shown if
 * they have not submitted, else with the next who has not. */
void
pdm_form_window_set_data_entry (PdmFormWindow *self,
                                gboolean       data_entry)
{
  g_return_if_fail (PDM_IS_FORM_WINDOW (self));

  data_entry = !!data_entry;
  if (self->data_entry == data_entry)
    return;

  self->data_entry = data_entry;
  gtk_widget_set_visible (self->sidebar, !data_entry);
  gtk_widget_set_visible (self->sidebar_separator, !data_entry);
  gtk_widget_set_visible (self->keys_label, data_entry);
  if (self->view != NULL)
    pdm_form_view_set_data_entry (self->view, data_entry);

  if (data_entry && self->view != NULL && self->participant_id != NULL && !self->read_only &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") == 0)
    pdm_form_view_go_first (self->view);
  else if (data_entry)
    show_next_without_response (self, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_ENTRY]);
}

/* --- class ---------------------------------------------------------------- */

static gboolean
pdm_form_window_close_request (GtkWindow *window)
{
  flush_draft (PDM_FORM_WINDOW (window));

  return GTK_WINDOW_CLASS (pdm_form_window_parent_class)->close_request (window);
}

static void
pdm_form_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdmFormWindow *self = PDM_FORM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATA_ENTRY:
      g_value_set_boolean (value, self->data_entry);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_form_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdmFormWindow *self = PDM_FORM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATA_ENTRY:
      pdm_form_window_set_data_entry (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_form_window_dispose (GObject *object)
{
  PdmFormWindow *self = PDM_FORM_WINDOW (object);

  /* Destroyed without a close request (the app quits): keep the typing. */
  if (self->application != NULL)
    flush_draft (self);
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->view = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (object), PDM_TYPE_FORM_WINDOW);

  G_OBJECT_CLASS (pdm_form_window_parent_class)->dispose (object);
}

static void
pdm_form_window_finalize (GObject *object)
{
  PdmFormWindow *self = PDM_FORM_WINDOW (object);

  g_clear_pointer (&self->forms, g_ptr_array_unref);
  g_clear_pointer (&self->form_keys, g_hash_table_unref);
  g_clear_pointer (&self->parsed, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->responses, g_hash_table_unref);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->draft, pdm_response_draft_free);
  g_clear_pointer (&self->training_id, g_free);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->participant_id, g_free);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (pdm_form_window_parent_class)->finalize (object);
}

static void
pdm_form_window_class_init (PdmFormWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = pdm_form_window_get_property;
  object_class->set_property = pdm_form_window_set_property;
  object_class->dispose = pdm_form_window_dispose;
  object_class->finalize = pdm_form_window_finalize;
  window_class->close_request = pdm_form_window_close_request;

  properties[PROP_DATA_ENTRY] =
    g_param_spec_boolean ("data-entry", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-form-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, submit_button);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, form_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, session_label);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, session_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, participant_list);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, participant_label);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, counter_label);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, keys_label);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, message_page);
  gtk_widget_class_bind_template_child (widget_class, PdmFormWindow, form_clamp);

  gtk_widget_class_install_action (widget_class, "form.submit", NULL, submit_activated);
  gtk_widget_class_install_property_action (widget_class, "form.data-entry", "data-entry");
  gtk_widget_class_install_action (widget_class, "form.next-participant", NULL,
                                   step_participant_activated);
  gtk_widget_class_install_action (widget_class, "form.previous-participant", NULL,
                                   step_participant_activated);
  gtk_widget_class_install_action (widget_class, "form.find", NULL, find_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "form.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "form.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "form.data-entry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "form.next-participant", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "form.previous-participant", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "form.find", NULL);
}

static void
on_setup_label_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  gboolean in_list = GPOINTER_TO_INT (user_data);

  gtk_list_item_set_child (item, g_object_new (GTK_TYPE_LABEL,
                                               "xalign", 0.0f,
                                               "ellipsize", in_list ? PANGO_ELLIPSIZE_NONE
                                                                    : PANGO_ELLIPSIZE_END,
                                               "max-width-chars", in_list ? 60 : 20,
                                               "wrap", in_list,
                                               NULL));
}

static void
on_bind_label_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

/* A long title or session ("Kebijakan Kesejahteraan Sosial — Dra.
 * Yusnimar") is cut short on the button, so the list beside the form stays
 * narrow; the popup shows it whole. */
static void
set_label_factories (GtkDropDown *dropdown)
{
  for (int in_list = 0; in_list <= 1; in_list++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (on_setup_label_cb),
                        GINT_TO_POINTER (in_list));
      g_signal_connect (factory, "bind", G_CALLBACK (on_bind_label_cb), NULL);
      if (in_list)
        gtk_drop_down_set_list_factory (dropdown, factory);
      else
        gtk_drop_down_set_factory (dropdown, factory);
    }
}

static void
pdm_form_window_init (PdmFormWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  set_label_factories (self->form_dropdown);
  set_label_factories (self->session_dropdown);

  self->forms = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);
  self->form_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->parsed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) pdm_form_unref);
  self->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);
  self->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_participant_row_free);
  self->responses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) pdm_record_free);
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_signal_connect_object (self->form_dropdown, "notify::selected",
                           G_CALLBACK (on_form_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session_dropdown, "notify::selected",
                           G_CALLBACK (on_session_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (on_search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (on_search_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->participant_list, "row-selected",
                           G_CALLBACK (on_row_selected_cb), self, G_CONNECT_SWAPPED);
}
