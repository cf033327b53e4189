/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-household-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-household-editor.h"

struct _PdmHouseholdEditor
{
  PdmRecordEditor  parent_instance;

  AdwEntryRow     *head_name_row;
  AdwEntryRow     *kk_number_row;
  AdwEntryRow     *dtsen_id_row;
  AdwEntryRow     *address_row;
  AdwEntryRow     *rt_row;
  AdwEntryRow     *rw_row;
  AdwComboRow     *kelurahan_row;
  AdwComboRow     *desil_row;
  AdwEntryRow     *programs_row;
  AdwComboRow     *volunteer_row;
  AdwComboRow     *status_row;
  AdwEntryRow     *notes_row;
};

G_DEFINE_FINAL_TYPE (PdmHouseholdEditor, pdm_household_editor, PDM_TYPE_RECORD_EDITOR)

static void
bind_desil (PdmHouseholdEditor *self)
{
  const char *values[12] = { "" };
  const char *labels[12] = { _("Not set") };
  char numbers[10][3];

  for (guint i = 0; i < 10; i++)
    {
      g_snprintf (numbers[i], sizeof numbers[i], "%u", i + 1);
      values[i + 1] = labels[i + 1] = numbers[i];
    }

  pdm_record_editor_bind_choice (PDM_RECORD_EDITOR (self), "desil", self->desil_row,
                                 values, labels);
}

static void
bind_status (PdmHouseholdEditor *self)
{
  const char *values[] = { "aktif", "pindah", "meninggal", "tidak ditemukan", NULL };
  const char *labels[] = {
    C_("household status", "Active"),
    C_("household status", "Moved away"),
    C_("household status", "Head deceased"),
    C_("household status", "Not found"),
    NULL
  };

  pdm_record_editor_bind_choice (PDM_RECORD_EDITOR (self), "status", self->status_row,
                                 values, labels);
}

PdmHouseholdEditor *
pdm_household_editor_new (PdmApplication  *application,
                          const PdmRecord *household)
{
  PdmHouseholdEditor *self;
  PdmRecordEditor *editor;
  g_autoptr(PdmRecord) record = NULL;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (household == NULL || household->info->table == PDM_TABLE_HOUSEHOLD, NULL);

  self = g_object_new (PDM_TYPE_HOUSEHOLD_EDITOR,
                       "application", application,
                       "title", household != NULL ? _("Edit Household") : _("New Household"),
                       NULL);
  editor = PDM_RECORD_EDITOR (self);

  pdm_record_editor_bind_entry (editor, "head_name", self->head_name_row);
  pdm_record_editor_bind_entry (editor, "kk_number", self->kk_number_row);
  pdm_record_editor_bind_entry (editor, "dtsen_id", self->dtsen_id_row);
  pdm_record_editor_bind_entry (editor, "address", self->address_row);
  pdm_record_editor_bind_entry (editor, "rt", self->rt_row);
  pdm_record_editor_bind_entry (editor, "rw", self->rw_row);
  pdm_record_editor_bind_kelurahan (editor, "kelurahan_code", self->kelurahan_row);
  bind_desil (self);
  pdm_record_editor_bind_entry (editor, "programs", self->programs_row);
  pdm_record_editor_bind_volunteer (editor, "volunteer_id", self->volunteer_row);
  bind_status (self);
  pdm_record_editor_bind_entry (editor, "notes", self->notes_row);

  if (household != NULL)
    record = pdm_record_copy (household);
  else
    {
      g_autofree char *kelurahan = NULL;

      kelurahan = g_settings_get_string (pdm_application_get_settings (application),
                                         "kelurahan-code");
      record = pdm_record_new (PDM_TABLE_HOUSEHOLD);
      pdm_record_set (record, "kelurahan_code", *kelurahan != '\0' ? kelurahan : NULL);
      pdm_record_set (record, "status", "aktif");
    }
  pdm_record_editor_load (editor, record);

  return self;
}

static void
pdm_household_editor_class_init (PdmHouseholdEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* No gtk_widget_dispose_template(): see pdm_record_editor_class_init(). */

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-household-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, head_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, kk_number_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, dtsen_id_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, address_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, rt_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, rw_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, kelurahan_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, desil_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, programs_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, volunteer_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, PdmHouseholdEditor, notes_row);
}

static void
pdm_household_editor_init (PdmHouseholdEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
