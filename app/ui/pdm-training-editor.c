/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-training-editor"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "pdm-rules.h"
#include "pdm-training-editor.h"
#include "pdm-training.h"
#include "pdm-ui-util.h"

typedef enum
{
  SESSION_TOPIC,
  SESSION_SPEAKER,
  SESSION_INSTITUTION,
  SESSION_DATE,
  SESSION_START,
  SESSION_END,
  N_SESSION_FIELDS
} SessionField;

static const char * const session_fields[N_SESSION_FIELDS] = {
  "topic", "speaker", "institution", "session_date", "start_time", "end_time",
};

static const char * const session_titles[N_SESSION_FIELDS] = {
  N_("Topic"),
  N_("Speaker"),
  N_("Speaker’s institution"),
  N_("Date (DD/MM/YYYY)"),
  /* Translators: Indonesian writes times of day as 08.30, and "8.30" is accepted too */
  N_("Start time (HH:MM)"),
  N_("End time (HH:MM)"),
};

/* One session as its expander row edits it. */
typedef struct
{
  PdmTrainingEditor *editor;
  /* As loaded; a new session has no id. */
  PdmRecord         *record;
  /* Its place when loaded, -1 for a new one. */
  int                loaded_index;
  AdwExpanderRow    *expander;
  AdwEntryRow       *entries[N_SESSION_FIELDS];
  GtkWidget         *error_rows[N_SESSION_FIELDS];
  char              *loaded[N_SESSION_FIELDS];
  GtkWidget         *up_button;
  GtkWidget         *down_button;
  /* The field the last Save refused, or -1. */
  int                error_field;
} SessionItem;

struct _PdmTrainingEditor
{
  PdmRecordEditor  parent_instance;

  /* SessionItem, in the order of the programme. */
  GPtrArray       *sessions;
  /* The ids of loaded sessions removed: deleted on Save. */
  GPtrArray       *removed_ids;
  gboolean         sessions_saved;

  AdwEntryRow     *title_row;
  AdwEntryRow     *start_date_row;
  AdwEntryRow     *end_date_row;
  AdwEntryRow     *venue_row;
  AdwEntryRow     *organiser_row;
  AdwEntryRow     *notes_row;
  GtkListBox      *session_list;
  GtkLabel        *sessions_error_label;
};

G_DEFINE_FINAL_TYPE (PdmTrainingEditor, pdm_training_editor, PDM_TYPE_RECORD_EDITOR)

static void
session_item_free (SessionItem *item)
{
  g_clear_pointer (&item->record, pdm_record_free);
  for (guint i = 0; i < N_SESSION_FIELDS; i++)
    g_free (item->loaded[i]);
  g_free (item);
}

/* What a row shows of a stored value: dates as DD/MM/YYYY, as they are
 * typed, and times as the locale writes them. */
static char *
session_text (const PdmRecord *session,
              SessionField     field)
{
  const char *value = session != NULL ? pdm_record_get (session, session_fields[field]) : NULL;
  int year, month, day;

  if (value == NULL)
    return g_strdup ("");
  if (field == SESSION_DATE && sscanf (value, "%4d-%2d-%2d", &year, &month, &day) == 3)
    return g_strdup_printf ("%02d/%02d/%04d", day, month, year);
  if (field == SESSION_START || field == SESSION_END)
    return pdm_format_clock (value);

  return g_strdup (value);
}

static const char *
item_text (SessionItem  *item,
           SessionField  field)
{
  return gtk_editable_get_text (GTK_EDITABLE (item->entries[field]));
}

/* The header says which session it is while it is folded. */
static void
update_header (SessionItem *item)
{
  const char *topic = item_text (item, SESSION_TOPIC);
  g_autofree char *subtitle = pdm_format_when (item_text (item, SESSION_DATE),
                                               item_text (item, SESSION_START),
                                               item_text (item, SESSION_END));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->expander),
                                 *topic != '\0' ? topic : _("New session"));
  adw_expander_row_set_subtitle (item->expander, subtitle);
}

static void
show_item_error (SessionItem *item,
                 int          field,
                 const char  *message)
{
  if (item->error_field >= 0)
    pdm_record_editor_show_row_error (GTK_WIDGET (item->entries[item->error_field]),
                                      item->error_rows[item->error_field], NULL);
  item->error_field = field;
  if (field < 0)
    return;

  pdm_record_editor_show_row_error (GTK_WIDGET (item->entries[field]), item->error_rows[field],
                                    message);
  adw_expander_row_set_expanded (item->expander, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (item->entries[field]));
}

static void
on_session_text_changed_cb (SessionItem *item,
                            GParamSpec  *pspec,
                            AdwEntryRow *entry)
{
  update_header (item);

  /* The person is fixing it: the old reason no longer applies. */
  if (item->error_field >= 0 && item->entries[item->error_field] == entry)
    show_item_error (item, -1, NULL);
}

static guint
item_index (SessionItem *item)
{
  guint index = 0;

  g_ptr_array_find (item->editor->sessions, item, &index);

  return index;
}

static void
update_move_buttons (PdmTrainingEditor *self)
{
  for (guint i = 0; i < self->sessions->len; i++)
    {
      SessionItem *item = g_ptr_array_index (self->sessions, i);

      gtk_widget_set_sensitive (item->up_button, i > 0);
      gtk_widget_set_sensitive (item->down_button, i + 1 < self->sessions->len);
    }
}

static void
on_up_clicked_cb (SessionItem *item)
{
  pdm_training_editor_move_session (item->editor, item_index (item), -1);
}

static void
on_down_clicked_cb (SessionItem *item)
{
  pdm_training_editor_move_session (item->editor, item_index (item), 1);
}

static void
on_remove_clicked_cb (SessionItem *item)
{
  pdm_training_editor_remove_session (item->editor, item_index (item));
}

static GtkWidget *
new_header_button (SessionItem *item,
                   const char  *icon_name,
                   const char  *tooltip,
                   GCallback    clicked_cb)
{
  GtkWidget *button = g_object_new (GTK_TYPE_BUTTON,
                                    "icon-name", icon_name,
                                    "tooltip-text", tooltip,
                                    "valign", GTK_ALIGN_CENTER,
                                    NULL);

  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  g_signal_connect_swapped (button, "clicked", clicked_cb, item);
  adw_expander_row_add_action (item->expander, button);

  return button;
}

/* Appends a row for @session (copied), or for a new one when NULL. */
static SessionItem *
add_session_item (PdmTrainingEditor *self,
                  const PdmRecord   *session)
{
  SessionItem *item = g_new0 (SessionItem, 1);

  item->editor = self;
  item->record = session != NULL ? pdm_record_copy (session) : NULL;
  item->loaded_index = session != NULL ? (int) self->sessions->len : -1;
  item->error_field = -1;
  item->expander = g_object_new (ADW_TYPE_EXPANDER_ROW, "use-markup", FALSE, NULL);
  gtk_list_box_append (self->session_list, GTK_WIDGET (item->expander));

  /* Each goes before the one added earlier: they read up, down, remove. */
  new_header_button (item, "user-trash-symbolic", _("Remove the session"),
                     G_CALLBACK (on_remove_clicked_cb));
  item->down_button = new_header_button (item, "go-down-symbolic", _("Move the session down"),
                                         G_CALLBACK (on_down_clicked_cb));
  item->up_button = new_header_button (item, "go-up-symbolic", _("Move the session up"),
                                       G_CALLBACK (on_up_clicked_cb));

  for (guint i = 0; i < N_SESSION_FIELDS; i++)
    {
      item->entries[i] = g_object_new (ADW_TYPE_ENTRY_ROW,
                                       "title", _(session_titles[i]),
                                       NULL);
      item->loaded[i] = session_text (session, i);
      gtk_editable_set_text (GTK_EDITABLE (item->entries[i]), item->loaded[i]);
      adw_expander_row_add_row (item->expander, GTK_WIDGET (item->entries[i]));
      item->error_rows[i] = pdm_record_editor_add_error_row (GTK_WIDGET (item->entries[i]));
      g_signal_connect_swapped (item->entries[i], "notify::text",
                                G_CALLBACK (on_session_text_changed_cb), item);
    }

  g_ptr_array_add (self->sessions, item);
  update_header (item);
  update_move_buttons (self);

  return item;
}

/* Scrolls the page down to a session just added, once its rows have a
 * place: focusing the topic before that scrolls nowhere. */
static gboolean
show_new_session_cb (GtkWidget     *topic,
                     GdkFrameClock *frame_clock,
                     gpointer       data)
{
  GtkWidget *expander = gtk_widget_get_ancestor (topic, ADW_TYPE_EXPANDER_ROW);
  GtkWidget *scroller = gtk_widget_get_ancestor (topic, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  graphene_rect_t header, row;

  if (expander == NULL || scroller == NULL)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_height (topic) == 0)
    return G_SOURCE_CONTINUE;

  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (gtk_widget_compute_bounds (expander, content, &header) &&
      gtk_widget_compute_bounds (topic, content, &row))
    gtk_adjustment_clamp_page (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                               header.origin.y, row.origin.y + row.size.height);

  return G_SOURCE_REMOVE;
}

/* A new session starts where the one before ended, or on the first day. */
static void
add_session_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdmTrainingEditor *self = PDM_TRAINING_EDITOR (widget);
  SessionItem *previous = self->sessions->len > 0 ? g_ptr_array_index (self->sessions,
                                                                       self->sessions->len - 1)
                                                  : NULL;
  SessionItem *item = add_session_item (self, NULL);

  if (previous != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (item->entries[SESSION_DATE]),
                             item_text (previous, SESSION_DATE));
      gtk_editable_set_text (GTK_EDITABLE (item->entries[SESSION_START]),
                             item_text (previous, SESSION_END));
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (item->entries[SESSION_DATE]),
                           gtk_editable_get_text (GTK_EDITABLE (self->start_date_row)));

  adw_expander_row_set_expanded (item->expander, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (item->entries[SESSION_TOPIC]));
  gtk_widget_add_tick_callback (GTK_WIDGET (item->entries[SESSION_TOPIC]), show_new_session_cb,
                                NULL, NULL);
}

static void
show_sessions_error (PdmTrainingEditor *self,
                     const char        *message)
{
  gtk_label_set_label (self->sessions_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sessions_error_label), message != NULL);
}

static int
find_session_field (const char *field)
{
  for (int i = 0; field != NULL && i < N_SESSION_FIELDS; i++)
    if (g_str_equal (session_fields[i], field))
      return i;

  return -1;
}

static gboolean
pdm_training_editor_is_modified (PdmRecordEditor *editor)
{
  PdmTrainingEditor *self = PDM_TRAINING_EDITOR (editor);

  if (self->removed_ids->len > 0)
    return TRUE;

  for (guint i = 0; i < self->sessions->len; i++)
    {
      SessionItem *item = g_ptr_array_index (self->sessions, i);

      if (item->loaded_index != (int) i)
        return TRUE;
      for (guint j = 0; j < N_SESSION_FIELDS; j++)
        if (g_strcmp0 (item_text (item, j), item->loaded[j]) != 0)
          return TRUE;
    }

  return FALSE;
}

/* In the transaction that saved @training: the removed sessions go, the
 * others are saved in their order. */
static gboolean
pdm_training_editor_save_more (PdmRecordEditor *editor,
                               PdmRepository   *repository,
                               const PdmRecord *training)
{
  PdmTrainingEditor *self = PDM_TRAINING_EDITOR (editor);
  g_autoptr(GError) error = NULL;

  show_sessions_error (self, NULL);
  for (guint i = 0; i < self->sessions->len; i++)
    show_item_error (g_ptr_array_index (self->sessions, i), -1, NULL);

  for (guint i = 0; i < self->removed_ids->len; i++)
    if (!pdm_repository_delete (repository, PDM_TABLE_TRAINING_SESSION,
                                g_ptr_array_index (self->removed_ids, i), &error))
      {
        show_sessions_error (self, error->message);
        return FALSE;
      }

  for (guint i = 0; i < self->sessions->len; i++)
    {
      SessionItem *item = g_ptr_array_index (self->sessions, i);
      g_autoptr(PdmRecord) session = NULL;
      const char *field = NULL;
      int at_fault;

      /* A copy: if anything fails, the rows keep what they loaded. */
      session = item->record != NULL ? pdm_record_copy (item->record)
                                     : pdm_record_new (PDM_TABLE_TRAINING_SESSION);
      pdm_record_set (session, "training_id", training->id);
      for (guint j = 0; j < N_SESSION_FIELDS; j++)
        pdm_record_set (session, session_fields[j], item_text (item, j));
      pdm_record_set_int (session, "position", i + 1);

      if (!pdm_rules_save (repository, session, NULL, &field, &error))
        {
          at_fault = find_session_field (field);
          if (at_fault >= 0)
            show_item_error (item, at_fault, error->message);
          else
            show_sessions_error (self, error->message);
          return FALSE;
        }
    }

  self->sessions_saved = TRUE;

  return TRUE;
}

static void
on_saved_cb (PdmTrainingEditor  *self,
             const PdmRecord    *training,
             const char * const *warnings,
             gpointer            user_data)
{
  PdmApplication *application = PDM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (self->sessions_saved && application != NULL)
    pdm_application_records_changed (application, PDM_TABLE_TRAINING_SESSION);
}

PdmTrainingEditor *
pdm_training_editor_new (PdmApplication  *application,
                         const PdmRecord *training)
{
  g_autoptr(PdmRecord) record = NULL;
  PdmTrainingEditor *self;
  PdmRecordEditor *editor;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (training == NULL || training->info->table == PDM_TABLE_TRAINING, NULL);

  self = g_object_new (PDM_TYPE_TRAINING_EDITOR,
                       "application", application,
                       "title", training != NULL ? _("Edit Training") : _("New Training"),
                       NULL);
  editor = PDM_RECORD_EDITOR (self);

  pdm_record_editor_bind_entry (editor, "title", self->title_row);
  pdm_record_editor_bind_date (editor, "start_date", self->start_date_row);
  pdm_record_editor_bind_date (editor, "end_date", self->end_date_row);
  pdm_record_editor_bind_entry (editor, "venue", self->venue_row);
  pdm_record_editor_bind_entry (editor, "organiser", self->organiser_row);
  pdm_record_editor_bind_entry (editor, "notes", self->notes_row);

  if (training != NULL)
    {
      PdmRepository *repository = pdm_application_get_repository (application);
      g_autoptr(GPtrArray) sessions = NULL;

      record = pdm_record_copy (training);
      if (repository != NULL)
        sessions = pdm_training_list_sessions (repository, training->id, NULL);
      for (guint i = 0; sessions != NULL && i < sessions->len; i++)
        add_session_item (self, g_ptr_array_index (sessions, i));
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      record = pdm_record_new (PDM_TABLE_TRAINING);
      pdm_record_set (record, "start_date", today);
    }
  pdm_record_editor_load (editor, record);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));

  return self;
}

guint
pdm_training_editor_get_n_sessions (PdmTrainingEditor *self)
{
  g_return_val_if_fail (PDM_IS_TRAINING_EDITOR (self), 0);

  return self->sessions->len;
}

/* The entry of @field ("topic", "start_time"...) of the session at @index. */
GtkEditable *
pdm_training_editor_get_session_entry (PdmTrainingEditor *self,
                                       guint              index,
                                       const char        *field)
{
  int column = find_session_field (field);
  SessionItem *item;

  g_return_val_if_fail (PDM_IS_TRAINING_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->sessions->len, NULL);
  g_return_val_if_fail (column >= 0, NULL);

  item = g_ptr_array_index (self->sessions, index);

  return GTK_EDITABLE (item->entries[column]);
}

/* Why the last Save refused the session at @index, as shown under the
 * field it names in *@out_field; NULL when it did not. */
const char *
pdm_training_editor_get_session_error (PdmTrainingEditor  *self,
                                       guint               index,
                                       const char        **out_field)
{
  SessionItem *item;
  GtkWidget *label;

  g_return_val_if_fail (PDM_IS_TRAINING_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->sessions->len, NULL);

  item = g_ptr_array_index (self->sessions, index);
  if (out_field != NULL)
    *out_field = item->error_field >= 0 ? session_fields[item->error_field] : NULL;
  if (item->error_field < 0 || !gtk_widget_get_visible (item->error_rows[item->error_field]))
    return NULL;

  label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (item->error_rows[item->error_field]));

  return gtk_label_get_label (GTK_LABEL (label));
}

/* Moves the session at @index by @offset places, within the list. */
void
pdm_training_editor_move_session (PdmTrainingEditor *self,
                                  guint              index,
                                  int                offset)
{
  SessionItem *item;
  int target;

  g_return_if_fail (PDM_IS_TRAINING_EDITOR (self));
  g_return_if_fail (index < self->sessions->len);

  target = (int) index + offset;
  if (target < 0 || target >= (int) self->sessions->len)
    return;

  item = g_ptr_array_steal_index (self->sessions, index);
  g_ptr_array_insert (self->sessions, target, item);

  g_object_ref (item->expander);
  gtk_list_box_remove (self->session_list, GTK_WIDGET (item->expander));
  gtk_list_box_insert (self->session_list, GTK_WIDGET (item->expander), target);
  g_object_unref (item->expander);
  update_move_buttons (self);

  /* The keyboard stays on the button pressed, or on the one that can still move. */
  if (gtk_widget_get_sensitive (offset < 0 ? item->up_button : item->down_button))
    gtk_widget_grab_focus (offset < 0 ? item->up_button : item->down_button);
  else
    gtk_widget_grab_focus (offset < 0 ? item->down_button : item->up_button);
}

/* Takes the session at @index out; a saved one is deleted on Save. */
void
pdm_training_editor_remove_session (PdmTrainingEditor *self,
                                    guint              index)
{
  SessionItem *item;
  SessionItem *next = NULL;

  g_return_if_fail (PDM_IS_TRAINING_EDITOR (self));
  g_return_if_fail (index < self->sessions->len);

  item = g_ptr_array_steal_index (self->sessions, index);
  if (item->record != NULL)
    g_ptr_array_add (self->removed_ids, g_strdup (item->record->id));
  gtk_list_box_remove (self->session_list, GTK_WIDGET (item->expander));
  session_item_free (item);
  update_move_buttons (self);

  /* The keyboard goes to the session that took its place. */
  if (self->sessions->len > 0)
    next = g_ptr_array_index (self->sessions, MIN (index, self->sessions->len - 1));
  gtk_widget_grab_focus (next != NULL ? GTK_WIDGET (next->expander)
                                      : GTK_WIDGET (self->title_row));
}

static void
pdm_training_editor_finalize (GObject *object)
{
  PdmTrainingEditor *self = (PdmTrainingEditor *)object;

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->removed_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pdm_training_editor_parent_class)->finalize (object);
}

static void
pdm_training_editor_class_init (PdmTrainingEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PdmRecordEditorClass *editor_class = PDM_RECORD_EDITOR_CLASS (klass);

  object_class->finalize = pdm_training_editor_finalize;
  editor_class->is_modified = pdm_training_editor_is_modified;
  editor_class->save_more = pdm_training_editor_save_more;

  /* No gtk_widget_dispose_template(): see pdm_record_editor_class_init(). */

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-training-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, start_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, end_date_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, venue_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, organiser_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, notes_row);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, session_list);
  gtk_widget_class_bind_template_child (widget_class, PdmTrainingEditor, sessions_error_label);

  gtk_widget_class_install_action (widget_class, "editor.add-session", NULL,
                                   add_session_activated);
}

static void
pdm_training_editor_init (PdmTrainingEditor *self)
{
  GtkWidget *placeholder;

  self->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) session_item_free);
  self->removed_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = g_object_new (GTK_TYPE_LABEL,
                              "label", _("No sessions yet"),
                              "margin-top", 12,
                              "margin-bottom", 12,
                              NULL);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->session_list, placeholder);
  g_signal_connect (self, "saved", G_CALLBACK (on_saved_cb), NULL);
}
