/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-training-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-checkin-window.h"
#include "pdm-page-util.h"
#include "pdm-participant-picker.h"
#include "pdm-training-editor.h"
#include "pdm-training-page.h"
#include "pdm-training.h"
#include "pdm-ui-util.h"

struct _PdmTrainingPage
{
  GtkWidget            parent_instance;

  PdmApplication      *application;
  /* The trainings listed, as PdmRecord, in the order of their rows. */
  GPtrArray           *trainings;
  char                *selected_id;
  AdwToast            *undo_toast;
  guint                reload_id;
  gboolean             filling;
  guint                attendance_id;
  /* The rows the detail added to its session and participant groups. */
  GPtrArray           *session_rows;
  GPtrArray           *participant_rows;
  /* Of the training shown: its sessions' ids, and the label that counts
   * the sessions each participant came to, by participant id. */
  GPtrArray           *session_ids;
  GHashTable          *attendance_labels;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *page_stack;
  AdwLeaflet          *leaflet;
  GtkListBox          *training_list;
  GtkLabel            *count_label;
  GtkWidget           *back_button;
  GtkLabel            *detail_title;
  GtkScrolledWindow   *detail_scroller;
  GtkWidget           *fill_forms_button;
  GtkWidget           *report_button;
  AdwActionRow        *dates_row;
  AdwActionRow        *venue_row;
  AdwActionRow        *organiser_row;
  AdwActionRow        *notes_row;
  AdwPreferencesGroup *sessions_group;
  AdwPreferencesGroup *participants_group;
};

G_DEFINE_FINAL_TYPE (PdmTrainingPage, pdm_training_page, GTK_TYPE_WIDGET)

/* The actions that need a training to act on. */
static const char * const training_actions[] = {
  "training.edit", "training.add-participants", "training.check-in", "list.delete",
};

static const PdmRecord *
find_training (PdmTrainingPage *self,
               const char      *id,
               guint           *out_index)
{
  for (guint i = 0; id != NULL && self->trainings != NULL && i < self->trainings->len; i++)
    {
      const PdmRecord *training = g_ptr_array_index (self->trainings, i);

      if (g_str_equal (training->id, id))
        {
          if (out_index != NULL)
            *out_index = i;
          return training;
        }
    }

  return NULL;
}

static const PdmRecord *
selected_training (PdmTrainingPage *self)
{
  return find_training (self, self->selected_id, NULL);
}

/* A field left empty has no row: the detail fits a small screen. */
static void
set_row_value (AdwActionRow *row,
               const char   *value)
{
  gboolean has_value = value != NULL && *value != '\0';

  adw_action_row_set_subtitle (row, has_value ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), has_value);
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "xalign", 0.0f,
                                   "ellipsize", PANGO_ELLIPSIZE_END,
                                   NULL);

  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* A row of the list: the title, then the dates, venue and participants. */
static GtkWidget *
create_training_row (const PdmRecord *training,
                     guint            n_participants)
{
  g_autofree char *dates = pdm_format_date_range (pdm_record_get (training, "start_date"),
                                                  pdm_record_get (training, "end_date"));
  g_autofree char *number = pdm_format_number (n_participants);
  g_autofree char *participants = g_strdup_printf (ngettext ("%s participant",
                                                             "%s participants",
                                                             n_participants),
                                                   number);
  const char *venue = pdm_record_get (training, "venue");
  g_autofree char *description = NULL;
  GtkWidget *box = g_object_new (GTK_TYPE_BOX,
                                 "orientation", GTK_ORIENTATION_VERTICAL,
                                 "spacing", 2,
                                 "margin-top", 6,
                                 "margin-bottom", 6,
                                 NULL);
  GtkWidget *title = new_label (pdm_record_get (training, "title"), "heading");
  GtkWidget *row;

  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), new_label (dates, "dim-label"));
  if (venue != NULL)
    gtk_box_append (GTK_BOX (box), new_label (venue, "dim-label"));
  gtk_box_append (GTK_BOX (box), new_label (participants, "caption"));

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  description = pdm_join_present (", ", (const char *[]) { dates, venue, participants }, 3);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pdm_record_get (training, "title"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  return row;
}

/* --- detail ---------------------------------------------------------------- */

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

/* "Dra. Yusnimar (BBPPKS Padang)" over "25 November 2025, 08.30–10.00". */
static char *
describe_session (const PdmRecord *session)
{
  const char *speaker = pdm_record_get (session, "speaker");
  const char *institution = pdm_record_get (session, "institution");
  g_autofree char *date = pdm_format_date (pdm_record_get (session, "session_date"));
  g_autofree char *start = pdm_format_clock (pdm_record_get (session, "start_time"));
  g_autofree char *end = pdm_format_clock (pdm_record_get (session, "end_time"));
  g_autofree char *who = NULL;
  g_autofree char *when = pdm_format_when (date, start, end);
  const char *lines[2];

  if (speaker != NULL && institution != NULL)
    /* Translators: a speaker and the institution they come from */
    who = g_strdup_printf (C_("speaker", "%s (%s)"), speaker, institution);
  else
    who = g_strdup (speaker != NULL ? speaker : institution);

  lines[0] = who;
  lines[1] = when;

  return pdm_join_present ("\n", lines, G_N_ELEMENTS (lines));
}

static void
show_sessions (PdmTrainingPage *self,
               GPtrArray       *sessions)
{
  clear_rows (self->sessions_group, self->session_rows);
  adw_preferences_group_set_description (self->sessions_group,
                                         sessions->len == 0
                                         ? _("No sessions yet: add them with Edit.")
                                         : NULL);

  for (guint i = 0; i < sessions->len; i++)
    {
      const PdmRecord *session = g_ptr_array_index (sessions, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *subtitle = describe_session (session);
      GtkWidget *row = g_object_new (ADW_TYPE_ACTION_ROW,
                                     "use-markup", FALSE,
                                     "title", pdm_record_get (session, "topic"),
                                     "subtitle", subtitle,
                                     "subtitle-lines", 3,
                                     NULL);
      GtkWidget *prefix = new_label (number, "numeric");

      gtk_widget_add_css_class (prefix, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
      add_row (self->sessions_group, self->session_rows, row);
    }
}

/* "1/2 sessions" after each participant, from the marks as stored. */
static void
show_attendance (PdmTrainingPage *self)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_sessions = self->session_ids->len;
  GHashTableIter iter;
  gpointer id, label;

  for (guint i = 0; repository != NULL && i < n_sessions; i++)
    {
      const char *session_id = g_ptr_array_index (self->session_ids, i);
      g_autoptr(GHashTable) present = pdm_training_get_attendance (repository, session_id, NULL);

      if (present == NULL)
        continue;
      g_hash_table_iter_init (&iter, present);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, id));

          g_hash_table_insert (counts, g_strdup (id), GUINT_TO_POINTER (n + 1));
        }
    }

  g_hash_table_iter_init (&iter, self->attendance_labels);
  while (g_hash_table_iter_next (&iter, &id, &label))
    {
      guint n_present = GPOINTER_TO_UINT (g_hash_table_lookup (counts, id));
      g_autofree char *text = NULL;
      g_autofree char *description = NULL;

      /* Translators: how many sessions of a training a participant came to */
      text = g_strdup_printf (ngettext ("%u/%u session", "%u/%u sessions", n_sessions),
                              n_present, n_sessions);
      description = g_strdup_printf (ngettext ("Present at %u of %u session",
                                               "Present at %u of %u sessions", n_sessions),
                                     n_present, n_sessions);
      gtk_label_set_label (label, text);
      /* Not a tooltip: in GTK 4.8 each asks the X server where the pointer is. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
      if (n_present < n_sessions)
        gtk_widget_add_css_class (label, "dim-label");
      else
        gtk_widget_remove_css_class (label, "dim-label");
    }
}

static void
show_participants (PdmTrainingPage *self,
                   GPtrArray       *participants)
{
  g_autofree char *number = pdm_format_number (participants->len);
  g_autofree char *count = g_strdup_printf (ngettext ("%s participant", "%s participants",
                                                      participants->len),
                                            number);

  clear_rows (self->participants_group, self->participant_rows);
  g_hash_table_remove_all (self->attendance_labels);
  adw_preferences_group_set_description (self->participants_group,
                                         participants->len == 0
                                         ? _("No participants yet: choose them with Participants.")
                                         : count);

  for (guint i = 0; i < participants->len; i++)
    {
      const PdmParticipantRow *participant = g_ptr_array_index (participants, i);
      GtkWidget *row;
      GtkWidget *suffix;

      row = g_object_new (ADW_TYPE_ACTION_ROW,
                          "use-markup", FALSE,
                          "title", participant->full_name != NULL
                                   ? participant->full_name
                                   : _("A PSM this device does not hold"),
                          "subtitle", participant->kelurahan_name,
                          NULL);
      if (self->session_ids->len > 0)
        {
          suffix = new_label (NULL, "numeric");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
          g_hash_table_insert (self->attendance_labels, g_strdup (participant->participant->id),
                               suffix);
        }
      add_row (self->participants_group, self->participant_rows, row);
    }
  show_attendance (self);
}

static void
set_training_actions_enabled (PdmTrainingPage *self,
                              gboolean         enabled)
{
  for (guint i = 0; i < G_N_ELEMENTS (training_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), training_actions[i], enabled);
}

static void
show_detail (PdmTrainingPage *self,
             const PdmRecord *training)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autofree char *dates = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GError) error = NULL;

  if (training == NULL || repository == NULL)
    {
      set_training_actions_enabled (self, FALSE);
      return;
    }

  dates = pdm_format_date_range (pdm_record_get (training, "start_date"),
                                 pdm_record_get (training, "end_date"));
  gtk_label_set_label (self->detail_title, pdm_record_get (training, "title"));
  set_row_value (self->dates_row, dates);
  set_row_value (self->venue_row, pdm_record_get (training, "venue"));
  set_row_value (self->organiser_row, pdm_record_get (training, "organiser"));
  set_row_value (self->notes_row, pdm_record_get (training, "notes"));

  sessions = pdm_training_list_sessions (repository, training->id, &error);
  if (sessions != NULL)
    participants = pdm_training_list_participants (repository, training->id, NULL, &error);
  if (participants == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }
  g_ptr_array_set_size (self->session_ids, 0);
  for (guint i = 0; i < sessions->len; i++)
    g_ptr_array_add (self->session_ids,
                     g_strdup (((PdmRecord *) g_ptr_array_index (sessions, i))->id));
  show_sessions (self, sessions);
  show_participants (self, participants);

  /* The windows of other pages find the training in the parameter. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->fill_forms_button),
                                          g_variant_new_string (training->id));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->report_button),
                                          g_variant_new_string (training->id));
  set_training_actions_enabled (self, TRUE);
}

/* --- list ------------------------------------------------------------------ */

static void
select_row (PdmTrainingPage *self,
            guint            index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->training_list, (int) index);

  if (row != NULL)
    gtk_list_box_select_row (self->training_list, row);
}

static void
reload (PdmTrainingPage *self)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GPtrArray) trainings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *count = NULL;
  GtkWidget *child;
  guint selected = 0;

  if (repository == NULL)
    return;

  trainings = pdm_training_list (repository, &error);
  if (trainings == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }
  g_clear_pointer (&self->trainings, g_ptr_array_unref);
  self->trainings = g_steal_pointer (&trainings);

  /* Emptying the list unselects row after row: not a person's choice. */
  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->training_list))) != NULL)
    gtk_list_box_remove (self->training_list, child);
  for (guint i = 0; i < self->trainings->len; i++)
    {
      const PdmRecord *training = g_ptr_array_index (self->trainings, i);
      g_autoptr(GPtrArray) participants = pdm_training_list_participants (repository, training->id,
                                                                          NULL, NULL);

      gtk_list_box_append (self->training_list,
                           create_training_row (training,
                                                participants != NULL ? participants->len : 0));
    }
  self->filling = FALSE;

  number = pdm_format_number (self->trainings->len);
  count = g_strdup_printf (ngettext ("%s training", "%s trainings", self->trainings->len), number);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->page_stack, self->trainings->len > 0 ? "trainings"
                                                                              : "empty");

  /* The training shown stays; when it is gone, the newest shows. */
  if (find_training (self, self->selected_id, &selected) == NULL)
    {
      g_clear_pointer (&self->selected_id, g_free);
      if (self->trainings->len == 0)
        {
          show_detail (self, NULL);
          return;
        }
    }
  select_row (self, selected);
}

static gboolean
reload_idle_cb (gpointer data)
{
  PdmTrainingPage *self = data;

  self->reload_id = 0;
  g_clear_handle_id (&self->attendance_id, g_source_remove);
  reload (self);

  return G_SOURCE_REMOVE;
}

static gboolean
attendance_idle_cb (gpointer data)
{
  PdmTrainingPage *self = data;

  self->attendance_id = 0;
  show_attendance (self);

  return G_SOURCE_REMOVE;
}

/* Changes come in bursts (an import, a sync) and are read once. A
 * check-in writes a mark per keypress: those only change the counts, and
 * rebuilding the 135 rows of a training each time would stall the keys. */
static void
on_records_changed_cb (PdmTrainingPage *self,
                       guint            table)
{
  if (table == PDM_TABLE_ATTENDANCE)
    {
      if (self->reload_id == 0 && self->attendance_id == 0)
        self->attendance_id = g_idle_add (attendance_idle_cb, self);
      return;
    }

  if (table != PDM_TABLE_TRAINING && table != PDM_TABLE_TRAINING_SESSION &&
      table != PDM_TABLE_PARTICIPANT && table != PDM_TABLE_VOLUNTEER)
    return;

  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle_cb, self);
}

static void
on_row_selected_cb (PdmTrainingPage *self,
                    GtkListBoxRow   *row)
{
  const PdmRecord *training;

  if (self->filling || row == NULL)
    return;

  training = g_ptr_array_index (self->trainings, gtk_list_box_row_get_index (row));
  if (g_strcmp0 (self->selected_id, training->id) != 0)
    {
      g_free (self->selected_id);
      self->selected_id = g_strdup (training->id);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
    }
  show_detail (self, training);
}

/* On a narrow window the list and the detail take turns. */
static void
on_row_activated_cb (PdmTrainingPage *self,
                     GtkListBoxRow   *row)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

static void
on_folded_cb (PdmTrainingPage *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (self->back_button, folded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "list.back", folded);
}

/* --- actions --------------------------------------------------------------- */

static void
on_training_saved_cb (PdmTrainingPage    *self,
                      const PdmRecord    *training,
                      const char * const *warnings)
{
  pdm_page_show_warnings (self->toast_overlay, warnings);
  pdm_training_page_select (self, training->id);
}

static void
open_editor (PdmTrainingPage *self,
             const PdmRecord *training)
{
  if (pdm_application_get_repository (self->application) == NULL)
    return;

  pdm_page_present_editor (GTK_WIDGET (self),
                           PDM_RECORD_EDITOR (pdm_training_editor_new (self->application,
                                                                       training)),
                           G_CALLBACK (on_training_saved_cb));
}

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_editor (PDM_TRAINING_PAGE (widget), NULL);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmTrainingPage *self = PDM_TRAINING_PAGE (widget);

  if (selected_training (self) != NULL)
    open_editor (self, selected_training (self));
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmTrainingPage *self = PDM_TRAINING_PAGE (widget);
  const PdmRecord *training = selected_training (self);
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  if (training == NULL)
    return;

  /* Its sessions, participants and marks stay, to come back with Undo. */
  id = g_strdup (training->id);
  title = g_strdup_printf (_("%s deleted"), pdm_record_get (training, "title"));
  pdm_page_delete (widget, self->application, self->toast_overlay, PDM_TABLE_TRAINING, id, title,
                   &self->undo_toast);
}

static void
undo_delete_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdmTrainingPage *self = PDM_TRAINING_PAGE (widget);

  /* The training comes back where it was, shown. */
  g_free (self->selected_id);
  self->selected_id = g_variant_dup_string (parameter, NULL);
  pdm_page_undo_delete (self->application, self->toast_overlay, PDM_TABLE_TRAINING, parameter,
                        &self->undo_toast);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmTrainingPage *self = PDM_TRAINING_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  gtk_widget_grab_focus (GTK_WIDGET (self->training_list));
}

/* Ctrl+F: the trainings are few, so the list is what there is to search. */
static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmTrainingPage *self = PDM_TRAINING_PAGE (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->training_list);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : GTK_WIDGET (self->training_list));
}

static void
present_window (PdmTrainingPage *self,
                GtkWindow       *window)
{
  gtk_window_set_transient_for (window, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (window);
}

static void
add_participants_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PdmTrainingPage *self = PDM_TRAINING_PAGE (widget);

  if (selected_training (self) != NULL)
    present_window (self, GTK_WINDOW (pdm_participant_picker_new (self->application,
                                                                  self->selected_id)));
}

static void
check_in_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PdmTrainingPage *self = PDM_TRAINING_PAGE (widget);

  if (selected_training (self) != NULL)
    present_window (self, GTK_WINDOW (pdm_checkin_window_new (self->application,
                                                              self->selected_id)));
}

/* --- public ---------------------------------------------------------------- */

void
pdm_training_page_set_application (PdmTrainingPage *self,
                                   PdmApplication  *application)
{
  g_return_if_fail (PDM_IS_TRAINING_PAGE (self));
  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (self->application == NULL);

  self->application = application;
  g_signal_connect_object (application, "records-changed", G_CALLBACK (on_records_changed_cb),
                           self, G_CONNECT_SWAPPED);
  reload (self);
}

/* The training the detail shows, or NULL when there is none. */
const char *
pdm_training_page_get_selected_id (PdmTrainingPage *self)
{
  g_return_val_if_fail (PDM_IS_TRAINING_PAGE (self), NULL);

  return selected_training (self) != NULL ? self->selected_id : NULL;
}

/* Shows the training @training_id, as soon as it is listed. */
void
pdm_training_page_select (PdmTrainingPage *self,
                          const char      *training_id)
{
  guint index;

  g_return_if_fail (PDM_IS_TRAINING_PAGE (self));
  g_return_if_fail (training_id != NULL);

  g_free (self->selected_id);
  self->selected_id = g_strdup (training_id);
  if (find_training (self, training_id, &index) != NULL)
    select_row (self, index);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

/* "empty" without trainings, "list" or "detail" for what a narrow window
 * shows, "detail" too when the list and the detail show side by side. */
const char *
pdm_training_page_get_state (PdmTrainingPage *self)
{
  g_return_val_if_fail (PDM_IS_TRAINING_PAGE (self), NULL);

  if (self->trainings == NULL || self->trainings->len == 0)
    return "empty";
  if (adw_leaflet_get_folded (self->leaflet) &&
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "sidebar") == 0)
    return "list";

  return "detail";
}

AdwToast *
pdm_training_page_get_undo_toast (PdmTrainingPage *self)
{
  g_return_val_if_fail (PDM_IS_TRAINING_PAGE (self), NULL);

  return self->undo_toast;
}

/* --- GObject --------------------------------------------------------------- */

static void
pdm_training_page_dispose (GObject *object)
{
  PdmTrainingPage *self = (PdmTrainingPage *)object;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->attendance_id, g_source_remove);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_pointer (&self->attendance_labels, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_TRAINING_PAGE);

  G_OBJECT_CLASS (pdm_training_page_parent_class)->dispose (object);
}

static void
pdm_training_page_finalize (GObject *object)
{
  PdmTrainingPage *self = (PdmTrainingPage *)object;

  g_clear_pointer (&self->trainings, g_ptr_array_unref);
  g_clear_pointer (&self->session_rows, g_ptr_array_unref);
  g_clear_pointer (&self->participant_rows, g_ptr_array_unref);
  g_clear_pointer (&self->session_ids, g_ptr_array_unref);
  g_free (self->selected_id);

  G_OBJECT_CLASS (pdm_training_page_parent_class)->finalize (object);
}

static void
pdm_training_page_class_init (PdmTrainingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_training_page_dispose;
  object_class->finalize = pdm_training_page_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-training-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, training_list);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, fill_forms_button);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, report_button);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, dates_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, venue_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, organiser_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, notes_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, sessions_group);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingPage, participants_group);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_cb);

  gtk_widget_class_install_action (widget_class, "list.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "list.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "list.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "list.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "list.undo-delete", "s", undo_delete_activated);
  gtk_widget_class_install_action (widget_class, "training.edit", NULL, edit_activated);
  gtk_widget_class_install_action (widget_class, "training.add-participants", NULL,
                                   add_participants_activated);
  gtk_widget_class_install_action (widget_class, "training.check-in", NULL, check_in_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "list.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "list.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "list.back", NULL);
}

static void
pdm_training_page_init (PdmTrainingPage *self)
{
  self->session_rows = g_ptr_array_new ();
  self->participant_rows = g_ptr_array_new ();
  self->session_ids = g_ptr_array_new_with_free_func (g_free);
  self->attendance_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  set_training_actions_enabled (self, FALSE);
  on_folded_cb (self);
}
