/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-checkin-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-checkin-window.h"
#include "pdm-page-util.h"
#include "pdm-training.h"
#include "pdm-ui-util.h"

struct _PdmCheckinWindow
{
  AdwWindow        parent_instance;

  PdmApplication  *application;
  char            *training_id;
  /* The sessions the chooser offers, as PdmRecord. */
  GPtrArray       *sessions;
  /* The participants listed, in the list's order. */
  GPtrArray       *participant_ids;
  /* The tick of each participant, by participant id. */
  GHashTable      *checks;
  /* The participants marked present at the chosen session. */
  GHashTable      *present;
  /* The participants the search finds, or NULL for all. */
  GHashTable      *matches;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkDropDown     *session_dropdown;
  GtkSearchEntry  *search_entry;
  GtkLabel        *count_label;
  GtkLabel        *status_label;
  GtkListBox      *participant_list;
};

G_DEFINE_FINAL_TYPE (PdmCheckinWindow, pdm_checkin_window, ADW_TYPE_WINDOW)

static PdmRepository *
get_repository (PdmCheckinWindow *self)
{
  return pdm_application_get_repository (self->application);
}

/* "Present: 97 of 135": of all the participants, whatever the search. */
static void
update_count (PdmCheckinWindow *self)
{
  g_autofree char *present = NULL;
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;

  present = pdm_format_number (pdm_checkin_window_get_n_present (self));
  total = pdm_format_number (self->participant_ids->len);
  /* Translators: how many participants are checked in, of how many */
  count = g_strdup_printf (_("Present: %s of %s"), present, total);
  gtk_label_set_label (self->count_label, count);
}

static void
update_stack (PdmCheckinWindow *self)
{
  if (self->sessions->len == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-sessions");
  else if (self->participant_ids->len == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-participants");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

/* The ticks show the chosen session's marks, as stored. */
static void
load_attendance (PdmCheckinWindow *self)
{
  const char *session_id = pdm_checkin_window_get_session_id (self);
  g_autoptr(GHashTable) present = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer id, check;

  if (session_id != NULL && get_repository (self) != NULL)
    {
      present = pdm_training_get_attendance (get_repository (self), session_id, &error);
      if (present == NULL)
        pdm_page_show_error (self->toast_overlay, error);
    }
  g_hash_table_remove_all (self->present);
  if (present != NULL)
    {
      g_hash_table_iter_init (&iter, present);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_hash_table_add (self->present, g_strdup (id));
    }

  /* on_check_toggled_cb() sees each tick agree with the marks: no write. */
  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, &id, &check))
    gtk_check_button_set_active (check, g_hash_table_contains (self->present, id));
  update_count (self);
}

/* What the last key did, in words: "Siti Aminah: present". Not a toast,
 * which would cover the rows and take the next Esc. */
static void
show_status (PdmCheckinWindow *self,
             GtkCheckButton   *check)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (check), ADW_TYPE_PREFERENCES_ROW);
  const char *name = row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : "";
  g_autofree char *status = NULL;

  /* Translators: %s is a participant's name */
  status = g_strdup_printf (gtk_check_button_get_active (check) ? _("%s: present")
                                                                 : _("%s: not present"),
                            name);
  gtk_label_set_label (self->status_label, status);
}

static void
on_check_toggled_cb (PdmCheckinWindow *self,
                     GtkCheckButton   *check)
{
  const char *participant_id = g_object_get_data (G_OBJECT (check), "pdm-participant-id");
  const char *session_id = pdm_checkin_window_get_session_id (self);
  gboolean active = gtk_check_button_get_active (check);
  g_autoptr(GError) error = NULL;

  if (active == g_hash_table_contains (self->present, participant_id) || session_id == NULL ||
      get_repository (self) == NULL)
    return;

  /* Saved at once: a check-in at the door has no Save button to forget. */
  if (!pdm_training_set_attendance (get_repository (self), session_id, participant_id, active,
                                    &error))
    {
      gtk_check_button_set_active (check, !active);
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  if (active)
    g_hash_table_add (self->present, g_strdup (participant_id));
  else
    g_hash_table_remove (self->present, participant_id);
  update_count (self);
  show_status (self, check);
  pdm_application_records_changed (self->application, PDM_TABLE_ATTENDANCE);
}

/* "Rahmi Yulianti" over "1375024512800001 · Campago Ipuh", with its tick. */
static GtkWidget *
create_participant_row (PdmCheckinWindow        *self,
                        const PdmParticipantRow *participant)
{
  const char *id = participant->participant->id;
  const char *name = participant->full_name != NULL ? participant->full_name
                                                    : _("A PSM this device does not hold");
  const char *parts[] = { participant->nik, participant->kelurahan_name };
  g_autofree char *subtitle = pdm_join_present (" · ", parts, G_N_ELEMENTS (parts));
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "pdm-participant-id", g_strdup (id), g_free);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               g_hash_table_contains (self->present, id));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (check), "pdm-participant-id", g_strdup (id), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_hash_table_insert (self->checks, g_strdup (id), check);

  return row;
}

static void
load_participants (PdmCheckinWindow *self)
{
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  if (get_repository (self) == NULL)
    return;

  participants = pdm_training_list_participants (get_repository (self), self->training_id, NULL,
                                                 &error);
  if (participants == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  g_hash_table_remove_all (self->checks);
  g_ptr_array_set_size (self->participant_ids, 0);
  /* Row by row: the list's placeholder stays. */
  while ((row = gtk_list_box_get_row_at_index (self->participant_list, 0)) != NULL)
    gtk_list_box_remove (self->participant_list, GTK_WIDGET (row));

  for (guint i = 0; i < participants->len; i++)
    {
      const PdmParticipantRow *participant = g_ptr_array_index (participants, i);

      g_ptr_array_add (self->participant_ids, g_strdup (participant->participant->id));
      gtk_list_box_append (self->participant_list, create_participant_row (self, participant));
    }
  update_stack (self);
  update_count (self);
}

/* "2. Dasar-dasar pekerjaan sosial — 25 November 2025, 08.30". */
static char *
describe_session (const PdmRecord *session,
                  guint            number)
{
  g_autofree char *date = pdm_format_date (pdm_record_get (session, "session_date"));
  g_autofree char *start = pdm_format_clock (pdm_record_get (session, "start_time"));
  g_autofree char *when = pdm_format_when (date, start, NULL);

  if (*when == '\0')
    /* Translators: a session in the chooser: its number and topic */
    return g_strdup_printf (C_("session choice", "%u. %s"), number,
                            pdm_record_get (session, "topic"));

  /* Translators: a session in the chooser: its number, topic and time */
  return g_strdup_printf (C_("session choice", "%u. %s — %s"), number,
                          pdm_record_get (session, "topic"), when);
}

/* The session chosen before, or today's first, or the first. */
static guint
default_session (PdmCheckinWindow *self,
                 const char       *previous_id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  guint today_index = G_MAXUINT;

  for (guint i = 0; i < self->sessions->len; i++)
    {
      const PdmRecord *session = g_ptr_array_index (self->sessions, i);

      if (g_strcmp0 (session->id, previous_id) == 0)
        return i;
      if (today_index == G_MAXUINT && g_strcmp0 (pdm_record_get (session, "session_date"),
                                                 today) == 0)
        today_index = i;
    }

  return today_index != G_MAXUINT ? today_index : 0;
}

static void
load_sessions (PdmCheckinWindow *self)
{
  g_autofree char *previous_id = g_strdup (pdm_checkin_window_get_session_id (self));
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(PdmRecord) training = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;

  if (get_repository (self) == NULL)
    return;

  training = pdm_repository_get (get_repository (self), PDM_TABLE_TRAINING, self->training_id,
                                 NULL);
  if (training != NULL)
    adw_window_title_set_subtitle (self->window_title, pdm_record_get (training, "title"));

  sessions = pdm_training_list_sessions (get_repository (self), self->training_id, &error);
  if (sessions == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }
  g_ptr_array_unref (self->sessions);
  self->sessions = g_steal_pointer (&sessions);

  for (guint i = 0; i < self->sessions->len; i++)
    {
      g_autofree char *label = describe_session (g_ptr_array_index (self->sessions, i), i + 1);

      gtk_string_list_append (labels, label);
    }

  /* Choosing a session reads its marks, in on_session_changed_cb(). */
  gtk_drop_down_set_model (self->session_dropdown, G_LIST_MODEL (labels));
  if (self->sessions->len > 0)
    gtk_drop_down_set_selected (self->session_dropdown, default_session (self, previous_id));
  update_stack (self);
  load_attendance (self);
}

static void
on_session_changed_cb (PdmCheckinWindow *self)
{
  if (self->application != NULL)
    load_attendance (self);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       data)
{
  PdmCheckinWindow *self = data;

  return self->matches == NULL ||
         g_hash_table_contains (self->matches, g_object_get_data (G_OBJECT (row),
                                                                  "pdm-participant-id"));
}

/* The search runs in the database, as pdm_training_list_participants()
 * matches names and NIKs, and the list hides the others. */
static void
on_search_changed_cb (PdmCheckinWindow *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  if (self->application == NULL || get_repository (self) == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_clear_pointer (&self->matches, g_hash_table_unref);
  if (*text != '\0')
    {
      found = pdm_training_list_participants (get_repository (self), self->training_id, text,
                                              &error);
      if (found == NULL)
        pdm_page_show_error (self->toast_overlay, error);
      self->matches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; found != NULL && i < found->len; i++)
        {
          const PdmParticipantRow *participant = g_ptr_array_index (found, i);

          g_hash_table_add (self->matches, g_strdup (participant->participant->id));
        }
    }
  gtk_list_box_invalidate_filter (self->participant_list);
}

static GtkListBoxRow *
first_shown_row (PdmCheckinWindow *self,
                 guint            *out_n_shown)
{
  GtkListBoxRow *first = NULL;
  guint n_shown = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->participant_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_row (GTK_LIST_BOX_ROW (child), self))
      {
        if (first == NULL)
          first = GTK_LIST_BOX_ROW (child);
        n_shown++;
      }

  if (out_n_shown != NULL)
    *out_n_shown = n_shown;

  return first;
}

/* Enter in the search: the one participant it found is marked present
 * and the search empties for the next one; with several, the first of
 * them takes the keyboard. */
static void
on_search_activate_cb (PdmCheckinWindow *self)
{
  GtkListBoxRow *row;
  GtkCheckButton *check;
  guint n_shown;

  row = first_shown_row (self, &n_shown);
  if (row == NULL)
    return;
  if (n_shown > 1)
    {
      gtk_widget_grab_focus (GTK_WIDGET (row));
      return;
    }

  check = g_hash_table_lookup (self->checks, g_object_get_data (G_OBJECT (row),
                                                                "pdm-participant-id"));
  if (!gtk_check_button_get_active (check))
    gtk_check_button_set_active (check, TRUE);
  else
    show_status (self, check);
  if (gtk_check_button_get_active (check))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* A letter or digit typed in the list starts a search for the next
 * participant. Not gtk_search_entry_set_key_capture_widget(): it hands
 * Enter and Esc to the search too, so Enter on a participant would not
 * mark them. */
static gboolean
on_list_key_pressed_cb (PdmCheckinWindow *self,
                        guint             keyval,
                        guint             keycode,
                        GdkModifierType   state)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry));
  gunichar character = gdk_keyval_to_unicode (keyval);
  char utf8[8] = { 0 };

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || character == 0 || character == ' ' ||
      !g_unichar_isprint (character) || !GTK_IS_TEXT (text))
    return GDK_EVENT_PROPAGATE;

  g_unichar_to_utf8 (character, utf8);
  gtk_editable_set_text (text, utf8);
  gtk_text_grab_focus_without_selecting (GTK_TEXT (text));
  gtk_editable_set_position (text, -1);

  return GDK_EVENT_STOP;
}

static void
clear_search_or_close (PdmCheckinWindow *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_stop_search_cb (PdmCheckinWindow *self)
{
  clear_search_or_close (self);
}

/* Down from the search goes to the participants it found. */
static gboolean
on_search_key_pressed_cb (PdmCheckinWindow *self,
                          guint             keyval,
                          guint             keycode,
                          GdkModifierType   state)
{
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;

  row = first_shown_row (self, NULL);
  if (row == NULL)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_grab_focus (GTK_WIDGET (row));

  return GDK_EVENT_STOP;
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdmCheckinWindow *self = PDM_CHECKIN_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
escape_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  clear_search_or_close (PDM_CHECKIN_WINDOW (widget));
}

static void
on_records_changed_cb (PdmCheckinWindow *self,
                       guint             table)
{
  switch (table)
    {
    case PDM_TABLE_TRAINING:
    case PDM_TABLE_TRAINING_SESSION:
      load_sessions (self);
      break;
    case PDM_TABLE_VOLUNTEER:
    case PDM_TABLE_PARTICIPANT:
      load_participants (self);
      on_search_changed_cb (self);
      load_attendance (self);
      break;
    case PDM_TABLE_ATTENDANCE:
      load_attendance (self);
      break;
    default:
      break;
    }
}

PdmCheckinWindow *
pdm_checkin_window_new (PdmApplication *application,
                        const char     *training_id)
{
  PdmCheckinWindow *self;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (training_id != NULL, NULL);

  self = g_object_new (PDM_TYPE_CHECKIN_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;
  self->training_id = g_strdup (training_id);

  g_signal_connect_object (application, "records-changed", G_CALLBACK (on_records_changed_cb),
                           self, G_CONNECT_SWAPPED);
  load_participants (self);
  load_sessions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));

  return self;
}

/* The session whose attendance the window takes, or NULL without one. */
const char *
pdm_checkin_window_get_session_id (PdmCheckinWindow *self)
{
  guint selected;

  g_return_val_if_fail (PDM_IS_CHECKIN_WINDOW (self), NULL);

  selected = gtk_drop_down_get_selected (self->session_dropdown);
  if (self->sessions == NULL || selected >= self->sessions->len)
    return NULL;

  return ((PdmRecord *) g_ptr_array_index (self->sessions, selected))->id;
}

/* How many participants are marked present at the session. */
guint
pdm_checkin_window_get_n_present (PdmCheckinWindow *self)
{
  guint n = 0;

  g_return_val_if_fail (PDM_IS_CHECKIN_WINDOW (self), 0);

  /* Marks of removed participants stay in the database; they do not count. */
  for (guint i = 0; i < self->participant_ids->len; i++)
    if (g_hash_table_contains (self->present, g_ptr_array_index (self->participant_ids, i)))
      n++;

  return n;
}

static void
setup_session_label_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *list_item)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "xalign", 0.0f,
                                   "ellipsize", PANGO_ELLIPSIZE_END,
                                   NULL);

  gtk_list_item_set_child (list_item, label);
}

static void
bind_session_label_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item)
{
  GtkStringObject *item = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       gtk_string_object_get_string (item));
}

static void
pdm_checkin_window_dispose (GObject *object)
{
  PdmCheckinWindow *self = (PdmCheckinWindow *)object;

  /* The ticks go with the rows. */
  g_hash_table_remove_all (self->checks);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_CHECKIN_WINDOW);

  G_OBJECT_CLASS (pdm_checkin_window_parent_class)->dispose (object);
}

static void
pdm_checkin_window_finalize (GObject *object)
{
  PdmCheckinWindow *self = (PdmCheckinWindow *)object;

  g_free (self->training_id);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->participant_ids, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_pointer (&self->present, g_hash_table_unref);
  g_clear_pointer (&self->matches, g_hash_table_unref);

  G_OBJECT_CLASS (pdm_checkin_window_parent_class)->finalize (object);
}

static void
pdm_checkin_window_class_init (PdmCheckinWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_checkin_window_dispose;
  object_class->finalize = pdm_checkin_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-checkin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, session_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdmCheckinWindow, participant_list);
  gtk_widget_class_bind_template_callback (widget_class, on_session_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);

  gtk_widget_class_install_action (widget_class, "checkin.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "checkin.escape", NULL, escape_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "checkin.find",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "checkin.escape", NULL);
}

static void
pdm_checkin_window_init (PdmCheckinWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *list_keys = gtk_event_controller_key_new ();
  GtkWidget *placeholder;

  self->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);
  self->participant_ids = g_ptr_array_new_with_free_func (g_free);
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Long topics are cut rather than widen the window past a small screen. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_session_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_session_label_cb), NULL);
  gtk_drop_down_set_factory (self->session_dropdown, factory);

  placeholder = g_object_new (GTK_TYPE_LABEL,
                              "label", _("No participant has this name or NIK"),
                              "wrap", TRUE,
                              "margin-top", 18,
                              "margin-bottom", 18,
                              "margin-start", 12,
                              "margin-end", 12,
                              NULL);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->participant_list, placeholder);
  gtk_list_box_set_filter_func (self->participant_list, filter_row, self, NULL);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  g_signal_connect_swapped (list_keys, "key-pressed", G_CALLBACK (on_list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->participant_list), list_keys);
}
