/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-proposal-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-proposal-window.h"
#include "pdm-record-labels.h"
#include "pdm-rules.h"
#include "pdm-ui-util.h"

struct _PdmProposalWindow
{
  AdwWindow        parent_instance;

  PdmApplication  *application;
  guint            n_shown;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *proposals_list;
};

G_DEFINE_FINAL_TYPE (PdmProposalWindow, pdm_proposal_window, ADW_TYPE_WINDOW)

static GtkWidget *
decision_button_new (const char *label,
                     const char *action_name,
                     const char *id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);

  return button;
}

/* "Household of Syafri Yanto" over "Street and house number: Jl. Baru ·
 * now Jl. Lama · the reason". */
static GtkWidget *
proposal_row_new (PdmProposalWindow *self,
                  const PdmRecord   *proposal)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autofree char *title = pdm_record_describe (repository,
                                                pdm_record_get (proposal, "target_table"),
                                                pdm_record_get (proposal, "target_id"));
  g_autofree char *change = pdm_proposal_describe (proposal);
  g_autofree char *old_value = pdm_value_describe (pdm_record_get (proposal, "old_value"));
  g_autofree char *proposer = pdm_value_describe (pdm_record_get (proposal, "proposer"));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *approve;

  /* Translators: a proposed change, the value it replaces, then why and
   * who proposed it */
  subtitle = g_strdup_printf (_("%s (now %s)\n%s — proposed by %s"), change, old_value,
                              pdm_record_get (proposal, "reason"), proposer);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             decision_button_new (_("_Reject"), "proposal.reject", proposal->id));
  approve = decision_button_new (_("_Approve"), "proposal.approve", proposal->id);
  gtk_widget_add_css_class (approve, "suggested-action");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), approve);

  return row;
}

static void
reload (PdmProposalWindow *self)
{
  PdmSearch *search = pdm_application_get_search (self->application);
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->proposals_list, 0)) != NULL)
    gtk_list_box_remove (self->proposals_list, GTK_WIDGET (row));
  self->n_shown = 0;

  proposals = pdm_search_list_proposals (search, NULL, "diajukan", &error);
  for (guint i = 0; proposals != NULL && i < proposals->len; i++)
    {
      gtk_list_box_append (self->proposals_list,
                           proposal_row_new (self, g_ptr_array_index (proposals, i)));
      self->n_shown++;
    }

  if (error != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));

  gtk_stack_set_visible_child_name (self->stack, self->n_shown > 0 ? "list" : "empty");
}

/* Approving writes the new value through the rules, which may refuse it,
 * and settles the proposal in the same transaction. */
static gboolean
decide (PdmProposalWindow  *self,
        const char         *id,
        gboolean            approve,
        PdmTable           *out_target,
        GError            **error)
{
  PdmRepository *repository = pdm_application_get_repository (self->application);
  g_autoptr(PdmRecord) proposal = NULL;
  g_autoptr(PdmRecord) target = NULL;
  const PdmTableInfo *info;

  proposal = pdm_repository_get (repository, PDM_TABLE_PROPOSAL, id, error);
  if (proposal == NULL)
    return FALSE;

  if (!pdm_repository_begin (repository, error))
    return FALSE;

  info = pdm_table_info_lookup (pdm_record_get (proposal, "target_table"));
  if (approve && info != NULL)
    {
      target = pdm_repository_get (repository, info->table,
                                   pdm_record_get (proposal, "target_id"), error);
      if (target == NULL)
        goto failed;
      pdm_record_set (target, pdm_record_get (proposal, "field"),
                      pdm_record_get (proposal, "new_value"));
      if (!pdm_rules_save (repository, target, NULL, NULL, error))
        goto failed;
      *out_target = info->table;
    }

  pdm_record_set (proposal, "status", approve ? "disetujui" : "ditolak");
  if (!pdm_rules_save (repository, proposal, NULL, NULL, error) ||
      !pdm_repository_commit (repository, error))
    goto failed;

  return TRUE;

failed:
  pdm_repository_rollback (repository);
  return FALSE;
}

static void
decide_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmProposalWindow *self = PDM_PROPOSAL_WINDOW (widget);
  gboolean approve = g_str_equal (action_name, "proposal.approve");
  PdmTable target = PDM_N_TABLES;
  g_autoptr(GError) error = NULL;

  if (!decide (self, g_variant_get_string (parameter, NULL), approve, &target, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));
      return;
    }

  if (target != PDM_N_TABLES)
    pdm_application_records_changed (self->application, target);
  pdm_application_records_changed (self->application, PDM_TABLE_PROPOSAL);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               pdm_toast_new (approve ? _("Correction approved and applied")
                                                      : _("Correction rejected")));
}

PdmProposalWindow *
pdm_proposal_window_new (PdmApplication *application)
{
  PdmProposalWindow *self;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (pdm_application_get_repository (application) != NULL, NULL);

  self = g_object_new (PDM_TYPE_PROPOSAL_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;
  g_signal_connect_object (application, "records-changed", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

/* How many proposals wait for a decision. */
guint
pdm_proposal_window_get_n_shown (PdmProposalWindow *self)
{
  g_return_val_if_fail (PDM_IS_PROPOSAL_WINDOW (self), 0);

  return self->n_shown;
}

static void
pdm_proposal_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PDM_TYPE_PROPOSAL_WINDOW);

  G_OBJECT_CLASS (pdm_proposal_window_parent_class)->dispose (object);
}

static void
pdm_proposal_window_class_init (PdmProposalWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_proposal_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-proposal-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmProposalWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmProposalWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdmProposalWindow, proposals_list);
  gtk_widget_class_install_action (widget_class, "proposal.approve", "s", decide_activated);
  gtk_widget_class_install_action (widget_class, "proposal.reject", "s", decide_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdm_proposal_window_init (PdmProposalWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
