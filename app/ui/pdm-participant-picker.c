/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-participant-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-page-util.h"
#include "pdm-participant-picker.h"
#include "pdm-training.h"
#include "pdm-ui-util.h"
#include "pdm-volunteer-editor.h"

/* The PSM of the whole city are about 135: a list of this many is all of
 * them, and a search narrows a longer one. */
#define MAX_LISTED 300

struct _PdmParticipantPicker
{
  AdwWindow        parent_instance;

  PdmApplication  *application;
  char            *training_id;
  GPtrArray       *kelurahan_codes;
  /* The volunteer ids of the training's participants. */
  GHashTable      *participants;
  /* The tick of each volunteer listed, by volunteer id. */
  GHashTable      *checks;
  guint            n_listed;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkSearchEntry  *search_entry;
  GtkDropDown     *kelurahan_dropdown;
  GtkLabel        *count_label;
  GtkStack        *list_stack;
  GtkListBox      *volunteer_list;
};

G_DEFINE_FINAL_TYPE (PdmParticipantPicker, pdm_participant_picker, ADW_TYPE_WINDOW)

static gboolean
load_participants (PdmParticipantPicker *self)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove_all (self->participants);
  if (repository == NULL)
    return FALSE;

  participants = pdm_training_list_participants (repository, self->training_id, NULL, &error);
  if (participants == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return FALSE;
    }

  for (guint i = 0; i < participants->len; i++)
    {
      const PdmParticipantRow *row = g_ptr_array_index (participants, i);

      g_hash_table_add (self->participants,
                        g_strdup (pdm_record_get (row->participant, "volunteer_id")));
    }

  return TRUE;
}

static void
update_count (PdmParticipantPicker *self)
{
  guint n = g_hash_table_size (self->participants);
  g_autofree char *number = pdm_format_number (n);
  g_autofree char *count = g_strdup_printf (ngettext ("%s participant", "%s participants", n),
                                            number);

  if (self->n_listed >= MAX_LISTED)
    {
      g_autofree char *shown = pdm_format_number (self->n_listed);
      g_autofree char *with_limit = NULL;

      /* Translators: a count of participants, then how many PSM the list shows */
      with_limit = g_strdup_printf (_("%s · the first %s PSM are listed: type a name to find "
                                      "others"),
                                    count, shown);
      gtk_label_set_label (self->count_label, with_limit);
      return;
    }

  gtk_label_set_label (self->count_label, count);
}

/* The ticks follow the participants, without writing anything. */
static void
sync_checks (PdmParticipantPicker *self)
{
  GHashTableIter iter;
  gpointer id, check;

  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, &id, &check))
    gtk_check_button_set_active (check, g_hash_table_contains (self->participants, id));
  update_count (self);
}

static void
on_check_toggled_cb (PdmParticipantPicker *self,
                     GtkCheckButton       *check)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  const char *volunteer_id = g_object_get_data (G_OBJECT (check), "pdm-volunteer-id");
  gboolean active = gtk_check_button_get_active (check);
  g_autoptr(PdmRecord) participant = NULL;
  g_autofree char *participant_id = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  /* Set to what is stored already: by sync_checks(), or undoing a failure. */
  if (active == g_hash_table_contains (self->participants, volunteer_id) || repository == NULL)
    return;

  if (active)
    saved = (participant = pdm_training_add_participant (repository, self->training_id,
                                                         volunteer_id, &error)) != NULL;
  else
    {
      participant_id = pdm_training_participant_id (self->training_id, volunteer_id);
      saved = pdm_training_remove_participant (repository, participant_id, &error);
    }

  if (!saved)
    {
      gtk_check_button_set_active (check, !active);
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  if (active)
    g_hash_table_add (self->participants, g_strdup (volunteer_id));
  else
    g_hash_table_remove (self->participants, volunteer_id);
  update_count (self);
  pdm_application_records_changed (self->application, PDM_TABLE_PARTICIPANT);
}

/* "Rahmi Yulianti" over "1375024512800001 · Campago Ipuh", with its tick. */
static GtkWidget *
create_volunteer_row (PdmParticipantPicker *self,
                      const PdmRecord      *volunteer)
{
  PdmRegions *regions = pdm_application_get_regions (self->application);
  const char *kelurahan = pdm_record_get (volunteer, "kelurahan_code");
  const char *parts[] = {
    pdm_record_get (volunteer, "nik"),
    kelurahan != NULL ? pdm_regions_get_name (regions, kelurahan) : NULL,
  };
  g_autofree char *subtitle = pdm_join_present (" · ", parts, G_N_ELEMENTS (parts));
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pdm_record_get (volunteer,
                                                                            "full_name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               g_hash_table_contains (self->participants, volunteer->id));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  pdm_record_get (volunteer, "full_name"),
                                  -1);
  g_object_set_data_full (G_OBJECT (check), "pdm-volunteer-id", g_strdup (volunteer->id), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_hash_table_insert (self->checks, g_strdup (volunteer->id), check);

  return row;
}

static void
refill (PdmParticipantPicker *self)
{
  PdmSearch *search = pdm_application_get_search (self->application);
  guint kelurahan = gtk_drop_down_get_selected (self->kelurahan_dropdown);
  g_autofree char *text = NULL;
  PdmQuery query = { .table = PDM_TABLE_VOLUNTEER, .sort = PDM_SORT_NAME };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (search == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  query.text = *text != '\0' ? text : NULL;
  if (kelurahan < self->kelurahan_codes->len)
    query.kelurahan_code = g_ptr_array_index (self->kelurahan_codes, kelurahan);

  found = pdm_search_page (search, &query, NULL, MAX_LISTED, NULL, NULL, &error);
  if (found == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  g_hash_table_remove_all (self->checks);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->volunteer_list))) != NULL)
    gtk_list_box_remove (self->volunteer_list, child);
  for (guint i = 0; i < found->len; i++)
    gtk_list_box_append (self->volunteer_list,
                         create_volunteer_row (self, g_ptr_array_index (found, i)));

  self->n_listed = found->len;
  gtk_stack_set_visible_child_name (self->list_stack, found->len > 0 ? "list" : "no-results");
  update_count (self);
}

static void
on_search_changed_cb (PdmParticipantPicker *self)
{
  if (self->application != NULL)
    refill (self);
}

/* Esc empties the search, then closes. */
static void
on_stop_search_cb (PdmParticipantPicker *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_records_changed_cb (PdmParticipantPicker *self,
                       guint                 table)
{
  if (table == PDM_TABLE_VOLUNTEER)
    refill (self);
  else if ((table == PDM_TABLE_PARTICIPANT || table == PDM_TABLE_TRAINING) &&
           load_participants (self))
    sync_checks (self);
}

/* All the PSM a search found at once: the 135 PSM of the basic training
 * are one click, not 135. */
static void
add_listed_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PdmParticipantPicker *self = PDM_PARTICIPANT_PICKER (widget);
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GHashTableIter iter;
  gpointer id;
  guint n_added = 0;

  if (repository == NULL || !pdm_repository_begin (repository, &error))
    {
      if (error != NULL)
        pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      g_autoptr(PdmRecord) participant = NULL;

      if (g_hash_table_contains (self->participants, id))
        continue;
      participant = pdm_training_add_participant (repository, self->training_id, id, &error);
      if (participant == NULL)
        {
          pdm_repository_rollback (repository);
          pdm_page_show_error (self->toast_overlay, error);
          return;
        }
      n_added++;
    }

  if (!pdm_repository_commit (repository, &error))
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  /* Translators: %u is how many PSM were added to the training */
  message = g_strdup_printf (ngettext ("%u PSM added", "%u PSM added", n_added), n_added);
  adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (message));
  if (n_added > 0)
    pdm_application_records_changed (self->application, PDM_TABLE_PARTICIPANT);
}

static void
on_volunteer_saved_cb (PdmParticipantPicker *self,
                       const PdmRecord      *volunteer,
                       const char * const   *warnings)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(PdmRecord) participant = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  pdm_page_show_warnings (self->toast_overlay, warnings);
  participant = pdm_training_add_participant (repository, self->training_id, volunteer->id,
                                              &error);
  if (participant == NULL)
    {
      pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  /* The new PSM shows, ticked. */
  gtk_drop_down_set_selected (self->kelurahan_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), pdm_record_get (volunteer,
                                                                            "full_name"));
  pdm_application_records_changed (self->application, PDM_TABLE_PARTICIPANT);
  /* Translators: %s is the name of a PSM */
  message = g_strdup_printf (_("%s added as a participant"), pdm_record_get (volunteer,
                                                                             "full_name"));
  adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (message));
}

static void
new_volunteer_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PdmParticipantPicker *self = PDM_PARTICIPANT_PICKER (widget);
  PdmVolunteerEditor *editor;

  if (pdm_application_get_repository (self->application) == NULL)
    return;

  editor = pdm_volunteer_editor_new (self->application, NULL);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_volunteer_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (PDM_PARTICIPANT_PICKER (widget)->search_entry));
}

PdmParticipantPicker *
pdm_participant_picker_new (PdmApplication *application,
                            const char     *training_id)
{
  PdmParticipantPicker *self;
  PdmRepository *repository;
  g_autoptr(PdmRecord) training = NULL;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (training_id != NULL, NULL);

  self = g_object_new (PDM_TYPE_PARTICIPANT_PICKER,
                       "application", application,
                       NULL);
  self->application = application;
  self->training_id = g_strdup (training_id);

  repository = pdm_application_get_repository (application);
  if (repository != NULL)
    training = pdm_repository_get (repository, PDM_TABLE_TRAINING, training_id, NULL);
  if (training != NULL)
    adw_window_title_set_subtitle (self->window_title, pdm_record_get (training, "title"));

  load_participants (self);
  pdm_page_fill_kelurahan (self->kelurahan_dropdown, pdm_application_get_regions (application),
                           self->kelurahan_codes);
  g_signal_connect_object (application, "records-changed", G_CALLBACK (on_records_changed_cb),
                           self, G_CONNECT_SWAPPED);
  refill (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));

  return self;
}

static void
pdm_participant_picker_dispose (GObject *object)
{
  PdmParticipantPicker *self = (PdmParticipantPicker *)object;

  /* The ticks go with the rows. */
  g_hash_table_remove_all (self->checks);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_PARTICIPANT_PICKER);

  G_OBJECT_CLASS (pdm_participant_picker_parent_class)->dispose (object);
}

static void
pdm_participant_picker_finalize (GObject *object)
{
  PdmParticipantPicker *self = (PdmParticipantPicker *)object;

  g_free (self->training_id);
  g_clear_pointer (&self->kelurahan_codes, g_ptr_array_unref);
  g_clear_pointer (&self->participants, g_hash_table_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);

  G_OBJECT_CLASS (pdm_participant_picker_parent_class)->finalize (object);
}

static void
pdm_participant_picker_class_init (PdmParticipantPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_participant_picker_dispose;
  object_class->finalize = pdm_participant_picker_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-participant-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmParticipantPicker, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdmParticipantPicker, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmParticipantPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdmParticipantPicker, kelurahan_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PdmParticipantPicker, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdmParticipantPicker, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmParticipantPicker, volunteer_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);

  gtk_widget_class_install_action (widget_class, "picker.add-listed", NULL, add_listed_activated);
  gtk_widget_class_install_action (widget_class, "picker.new-volunteer", NULL,
                                   new_volunteer_activated);
  gtk_widget_class_install_action (widget_class, "picker.find", NULL, find_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "picker.find", NULL);
}

static void
pdm_participant_picker_init (PdmParticipantPicker *self)
{
  self->kelurahan_codes = g_ptr_array_new_with_free_func (g_free);
  self->participants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}
