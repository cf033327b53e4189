/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-proposal-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-proposal-editor.h"
#include "pdm-record-labels.h"

/* The household fields a PSM may propose to correct; the kelurahan and the
 * assigned PSM are the Dinas's own to set. */
static const char * const fields[] = {
  "head_name", "kk_number", "dtsen_id", "address", "rt", "rw", "desil", "programs", "status",
  "notes", NULL
};

struct _PdmProposalEditor
{
  PdmRecordEditor  parent_instance;

  PdmRecord       *household;

  AdwComboRow     *field_row;
  AdwActionRow    *current_row;
  AdwEntryRow     *new_value_row;
  AdwEntryRow     *reason_row;
  AdwEntryRow     *proposer_row;
};

G_DEFINE_FINAL_TYPE (PdmProposalEditor, pdm_proposal_editor, PDM_TYPE_RECORD_EDITOR)

/* The chosen field's value now, which the proposal keeps as its old value. */
static void
on_field_changed_cb (PdmProposalEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->field_row);
  const char *value = NULL;
  g_autofree char *shown = NULL;

  if (self->household != NULL && selected < G_N_ELEMENTS (fields) - 1)
    value = pdm_record_get (self->household, fields[selected]);

  shown = pdm_value_describe (value);
  adw_action_row_set_subtitle (self->current_row, shown);
  pdm_record_editor_set_value (PDM_RECORD_EDITOR (self), "old_value", value);
}

/* A PSM proposes many corrections in a row: the next form starts with the
 * name given last. */
static void
on_saved_cb (PdmProposalEditor  *self,
             PdmRecord          *proposal,
             const char * const *warnings)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const char *proposer = pdm_record_get (proposal, "proposer");

  g_settings_set_string (pdm_application_get_settings (PDM_APPLICATION (application)),
                         "proposer-name",
                         proposer != NULL ? proposer : "");
}

PdmProposalEditor *
pdm_proposal_editor_new (PdmApplication  *application,
                         const PdmRecord *household)
{
  PdmProposalEditor *self;
  PdmRecordEditor *editor;
  g_autoptr(PdmRecord) proposal = NULL;
  g_autofree char *last_proposer = NULL;
  const char *labels[G_N_ELEMENTS (fields)] = { NULL };

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (household != NULL && household->info->table == PDM_TABLE_HOUSEHOLD, NULL);

  self = g_object_new (PDM_TYPE_PROPOSAL_EDITOR,
                       "application", application,
                       "title", _("Propose a Correction"),
                       NULL);
  editor = PDM_RECORD_EDITOR (self);
  self->household = pdm_record_copy (household);

  for (guint i = 0; fields[i] != NULL; i++)
    labels[i] = pdm_field_get_label ("household", fields[i]);
  pdm_record_editor_bind_choice (editor, "field", self->field_row, fields, labels);
  pdm_record_editor_bind_entry (editor, "new_value", self->new_value_row);
  pdm_record_editor_bind_entry (editor, "reason", self->reason_row);
  pdm_record_editor_bind_entry (editor, "proposer", self->proposer_row);

  proposal = pdm_record_new (PDM_TABLE_PROPOSAL);
  pdm_record_set (proposal, "target_table", "household");
  pdm_record_set (proposal, "target_id", household->id);
  pdm_record_set (proposal, "field", fields[0]);
  pdm_record_set (proposal, "status", "diajukan");
  last_proposer = g_settings_get_string (pdm_application_get_settings (application),
                                         "proposer-name");
  pdm_record_set (proposal, "proposer", last_proposer);
  pdm_record_editor_load (editor, proposal);

  g_signal_connect_object (self->field_row, "notify::selected", G_CALLBACK (on_field_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_field_changed_cb (self);
  g_signal_connect (self, "saved", G_CALLBACK (on_saved_cb), NULL);

  return self;
}

static void
pdm_proposal_editor_finalize (GObject *object)
{
  PdmProposalEditor *self = (PdmProposalEditor *)object;

  g_clear_pointer (&self->household, pdm_record_free);

  G_OBJECT_CLASS (pdm_proposal_editor_parent_class)->finalize (object);
}

static void
pdm_proposal_editor_class_init (PdmProposalEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pdm_proposal_editor_finalize;

  /* No gtk_widget_dispose_template(): see pdm_record_editor_class_init(). */

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-proposal-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmProposalEditor, field_row);
  gtk_widget_class_bind_template_child (widget_class, PdmProposalEditor, current_row);
  gtk_widget_class_bind_template_child (widget_class, PdmProposalEditor, new_value_row);
  gtk_widget_class_bind_template_child (widget_class, PdmProposalEditor, reason_row);
  gtk_widget_class_bind_template_child (widget_class, PdmProposalEditor, proposer_row);
}

static void
pdm_proposal_editor_init (PdmProposalEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
