/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-import-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-import-window.h"
#include "pdm-page-util.h"
#include "pdm-ui-util.h"
#include "pdm-window.h"

/* More rows would only slow the window; the spreadsheet is fixed from the
 * first ones anyway. */
#define MAX_PROBLEM_ROWS 500

struct _PdmImportWindow
{
  AdwWindow        parent_instance;

  PdmApplication  *application;
  GCancellable    *cancellable;
  GBytes          *data;
  PdmImportReport *report;
  GtkFileChooserNative *chooser;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkButton       *import_button;
  GtkLabel        *progress_label;
  GtkProgressBar  *progress_bar;
  AdwActionRow    *households_row;
  AdwActionRow    *persons_row;
  AdwPreferencesGroup *counts_group;
  AdwPreferencesGroup *errors_group;
  AdwPreferencesGroup *warnings_group;
  GtkListBox      *errors_list;
  GtkListBox      *warnings_list;
};

G_DEFINE_FINAL_TYPE (PdmImportWindow, pdm_import_window, ADW_TYPE_WINDOW)

static gboolean
is_busy (PdmImportWindow *self)
{
  return self->cancellable != NULL;
}

static void
update_actions (PdmImportWindow *self)
{
  gboolean can_apply = !is_busy (self) && self->report != NULL && self->data != NULL &&
                       self->report->n_errors == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.apply", can_apply);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose", !is_busy (self));
}

static void
show_error (PdmImportWindow *self,
            const GError    *error)
{
  adw_toast_overlay_add_toast (self->toast_overlay, pdm_toast_new (error->message));
}

static void
start_work (PdmImportWindow *self,
            const char      *label)
{
  g_assert (!is_busy (self));

  self->cancellable = g_cancellable_new ();
  gtk_label_set_label (self->progress_label, label);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_actions (self);
}

static void
end_work (PdmImportWindow *self)
{
  g_clear_object (&self->cancellable);
  update_actions (self);
}

static void
on_progress_cb (double   fraction,
                gpointer user_data)
{
  PdmImportWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

/* --- the report ------------------------------------------------------------ */

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static GtkWidget *
problem_row_new (const char *title,
                 const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);

  return row;
}

static char *
format_counts (guint created,
               guint updated,
               guint unchanged)
{
  g_autofree char *n_created = pdm_format_number (created);
  g_autofree char *n_updated = pdm_format_number (updated);
  g_autofree char *n_unchanged = pdm_format_number (unchanged);

  return g_strdup_printf (_("%s new, %s updated, %s unchanged"), n_created, n_updated,
                          n_unchanged);
}

static void
show_report (PdmImportWindow *self)
{
  const PdmImportReport *report = self->report;
  g_autofree char *households = NULL;
  g_autofree char *persons = NULL;
  g_autofree char *n_rows = pdm_format_number (report->n_rows);
  g_autofree char *title = NULL;
  guint n_shown[2] = { 0, 0 };

  title = g_strdup_printf (ngettext ("What the %s row of the file would change",
                                     "What the %s rows of the file would change",
                                     report->n_rows), n_rows);
  adw_preferences_group_set_title (self->counts_group, title);
  households = format_counts (report->households_created, report->households_updated,
                              report->households_unchanged);
  persons = format_counts (report->persons_created, report->persons_updated,
                           report->persons_unchanged);
  adw_action_row_set_subtitle (self->households_row, households);
  adw_action_row_set_subtitle (self->persons_row, persons);

  clear_list (self->errors_list);
  clear_list (self->warnings_list);
  for (guint i = 0; report->problems != NULL && i < report->problems->len; i++)
    {
      const PdmImportProblem *problem = g_ptr_array_index (report->problems, i);
      gboolean is_error = problem->severity == PDM_IMPORT_SEVERITY_ERROR;
      g_autofree char *text = NULL;

      if (n_shown[is_error]++ >= MAX_PROBLEM_ROWS)
        continue;

      text = pdm_import_problem_to_string (problem);
      gtk_list_box_append (is_error ? self->errors_list : self->warnings_list,
                           problem_row_new (text, is_error ? "dialog-error-symbolic"
                                                           : "dialog-warning-symbolic"));
    }

  for (guint i = 0; i < 2; i++)
    if (n_shown[i] > MAX_PROBLEM_ROWS)
      {
        g_autofree char *more = pdm_format_number (n_shown[i] - MAX_PROBLEM_ROWS);
        g_autofree char *text = g_strdup_printf (_("And %s more"), more);

        gtk_list_box_append (i ? self->errors_list : self->warnings_list,
                             problem_row_new (text, NULL));
      }

  gtk_widget_set_visible (GTK_WIDGET (self->errors_group), n_shown[TRUE] > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), n_shown[FALSE] > 0);
  gtk_stack_set_visible_child_name (self->stack, "report");
}

/* --- check ------------------------------------------------------------------- */

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdmImportWindow) self = user_data;
  g_autoptr(PdmImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = pdm_import_check_finish (PDM_REPOSITORY (object), result, &error);
  end_work (self);
  if (report == NULL)
    {
      g_clear_pointer (&self->data, g_bytes_unref);
      gtk_stack_set_visible_child_name (self->stack, "choose");
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  g_clear_pointer (&self->report, pdm_import_report_free);
  self->report = g_steal_pointer (&report);
  show_report (self);
  update_actions (self);
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdmImportWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  self->data = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (self->data == NULL)
    {
      end_work (self);
      gtk_stack_set_visible_child_name (self->stack, "choose");
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  cancellable = self->cancellable;
  pdm_import_check_async (pdm_application_get_repository (self->application), self->data,
                          on_progress_cb, g_object_ref (self), g_object_unref,
                          cancellable, check_done_cb, g_object_ref (self));
}

/* What choosing @file in the file chooser does; tests call it directly. */
void
pdm_import_window_check_file (PdmImportWindow *self,
                              GFile           *file)
{
  g_return_if_fail (PDM_IS_IMPORT_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!is_busy (self));

  g_clear_pointer (&self->report, pdm_import_report_free);
  g_clear_pointer (&self->data, g_bytes_unref);
  start_work (self, _("Checking the file…"));
  g_file_load_bytes_async (file, self->cancellable, file_loaded_cb, g_object_ref (self));
}

static void
on_chooser_response_cb (PdmImportWindow *self,
                        int              response)
{
  g_autoptr(GtkFileChooserNative) chooser = g_steal_pointer (&self->chooser);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL && !is_busy (self))
        pdm_import_window_check_file (self, file);
    }
}

static void
choose_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmImportWindow *self = PDM_IMPORT_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = pdm_page_new_csv_chooser (GTK_WINDOW (self), _("Choose a DTSEN Spreadsheet"),
                                            GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- apply ------------------------------------------------------------------- */

static void
show_done_toast (PdmImportWindow       *self,
                 const PdmImportReport *report)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *households_created = pdm_format_number (report->households_created);
  g_autofree char *households_updated = pdm_format_number (report->households_updated);
  g_autofree char *persons_created = pdm_format_number (report->persons_created);
  g_autofree char *persons_updated = pdm_format_number (report->persons_updated);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!PDM_IS_WINDOW (parent))
    return;

  title = g_strdup_printf (_("Imported. Households: %s new, %s updated. Members: %s new, %s "
                             "updated."),
                           households_created, households_updated, persons_created,
                           persons_updated);
  toast = pdm_toast_new (title);
  adw_toast_set_timeout (toast, 10);
  pdm_window_add_toast (PDM_WINDOW (parent), toast);
}

static void
apply_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdmImportWindow) self = user_data;
  g_autoptr(PdmImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  end_work (self);
  if (!pdm_import_apply_finish (PDM_REPOSITORY (object), result, &report, &error))
    {
      /* The apply is one transaction: nothing was saved, the report stands. */
      show_report (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  if (report != NULL)
    show_done_toast (self, report);
  pdm_application_records_changed (self->application, PDM_TABLE_HOUSEHOLD);
  pdm_application_records_changed (self->application, PDM_TABLE_PERSON);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
apply_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdmImportWindow *self = PDM_IMPORT_WINDOW (widget);

  if (is_busy (self) || self->data == NULL || self->report == NULL || self->report->n_errors > 0)
    return;

  start_work (self, _("Importing…"));
  pdm_import_apply_async (pdm_application_get_repository (self->application), self->data,
                          on_progress_cb, g_object_ref (self), g_object_unref,
                          self->cancellable, apply_done_cb, g_object_ref (self));
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmImportWindow *self = PDM_IMPORT_WINDOW (widget);

  if (is_busy (self))
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* --- public ------------------------------------------------------------------ */

PdmImportWindow *
pdm_import_window_new (PdmApplication *application)
{
  PdmImportWindow *self;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (pdm_application_get_repository (application) != NULL, NULL);

  self = g_object_new (PDM_TYPE_IMPORT_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;

  return self;
}

/* The report of the last check, or NULL before one. */
const PdmImportReport *
pdm_import_window_get_report (PdmImportWindow *self)
{
  g_return_val_if_fail (PDM_IS_IMPORT_WINDOW (self), NULL);

  return self->report;
}

/* --- GObject ----------------------------------------------------------------- */

static gboolean
pdm_import_window_close_request (GtkWindow *window)
{
  PdmImportWindow *self = PDM_IMPORT_WINDOW (window);

  /* The work ends with the window; a cancelled apply saves nothing. */
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (pdm_import_window_parent_class)->close_request (window);
}

static void
pdm_import_window_dispose (GObject *object)
{
  PdmImportWindow *self = (PdmImportWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_IMPORT_WINDOW);

  G_OBJECT_CLASS (pdm_import_window_parent_class)->dispose (object);
}

static void
pdm_import_window_finalize (GObject *object)
{
  PdmImportWindow *self = (PdmImportWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->report, pdm_import_report_free);

  G_OBJECT_CLASS (pdm_import_window_parent_class)->finalize (object);
}

static void
pdm_import_window_class_init (PdmImportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pdm_import_window_dispose;
  object_class->finalize = pdm_import_window_finalize;
  window_class->close_request = pdm_import_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-import-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, households_row);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, persons_row);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, counts_group);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, errors_group);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, errors_list);
  gtk_widget_class_bind_template_child (widget_class, PdmImportWindow, warnings_list);

  gtk_widget_class_install_action (widget_class, "import.choose", NULL, choose_activated);
  gtk_widget_class_install_action (widget_class, "import.apply", NULL, apply_activated);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
pdm_import_window_init (PdmImportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}
