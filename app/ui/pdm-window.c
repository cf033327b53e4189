/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-export.h"
#include "pdm-form-window.h"
#include "pdm-household-page.h"
#include "pdm-import-window.h"
#include "pdm-kelurahan-chooser.h"
#include "pdm-page-util.h"
#include "pdm-proposal-window.h"
#include "pdm-report-window.h"
#include "pdm-sync-indicator.h"
#include "pdm-training-page.h"
#include "pdm-training-report.h"
#include "pdm-visit-page.h"
#include "pdm-volunteer-page.h"
#include "pdm-window.h"
#include "pdm-ui-util.h"

struct _PdmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *export_chooser;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwStatusPage        *database_error_page;
  PdmSyncIndicator     *sync_indicator;
  PdmHouseholdPage     *households_page;
  PdmVolunteerPage     *volunteers_page;
  PdmVisitPage         *visits_page;
  PdmTrainingPage      *trainings_page;
  PdmKelurahanChooser  *kelurahan_chooser;
};

G_DEFINE_FINAL_TYPE (PdmWindow, pdm_window, ADW_TYPE_APPLICATION_WINDOW)

/* The pages in the order of their Alt+number shortcuts. */
static const char * const page_names[] = { "households", "volunteers", "visits", "trainings" };

/* The review of proposed corrections is the Dinas's. */
static void
update_proposals_action (PdmWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.proposals",
                                 g_settings_get_boolean (self->settings, "dinas-mode"));
}

/* GtkWindow:application is set after construction, so the window is tied
 * to its application here rather than in constructed(). */
PdmWindow *
pdm_window_new (PdmApplication *application)
{
  PdmWindow *self;
  g_autofree char *kelurahan = NULL;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);

  self = g_object_new (PDM_TYPE_WINDOW,
                       "application", application,
                       NULL);
  self->settings = g_object_ref (pdm_application_get_settings (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_object_bind_property (application, "server-url",
                          self->sync_indicator, "server-url",
                          G_BINDING_SYNC_CREATE);
  pdm_sync_indicator_set_application (self->sync_indicator, application);

  pdm_household_page_set_application (self->households_page, application);
  pdm_volunteer_page_set_application (self->volunteers_page, application);
  pdm_visit_page_set_application (self->visits_page, application);
  pdm_training_page_set_application (self->trainings_page, application);
  pdm_kelurahan_chooser_set_application (self->kelurahan_chooser, application);
  g_signal_connect_object (self->settings, "changed::dinas-mode",
                           G_CALLBACK (update_proposals_action), self, G_CONNECT_SWAPPED);
  update_proposals_action (self);

  /* First run: the lists and new records need to know the kelurahan. */
  kelurahan = g_settings_get_string (self->settings, "kelurahan-code");
  if (*kelurahan == '\0' && !g_settings_get_boolean (self->settings, "dinas-mode"))
    gtk_stack_set_visible_child_name (self->main_stack, "first-run");

  return self;
}

void
pdm_window_show_database_error (PdmWindow    *self,
                                const GError *error)
{
  g_autofree char *description = NULL;

  g_return_if_fail (PDM_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  description = g_strdup_printf ("%s\n\n%s", error->message,
                                 _("Nothing was changed. Start Pendamping with another data "
                                   "folder, or ask the Dinas Sosial for help."));
  adw_status_page_set_description (self->database_error_page, description);
  gtk_stack_set_visible_child_name (self->main_stack, "database-error");
}

const char *
pdm_window_get_visible_page (PdmWindow *self)
{
  g_return_val_if_fail (PDM_IS_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "views") != 0)
    return gtk_stack_get_visible_child_name (self->main_stack);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/* Takes the floating @toast; it shows over whichever page is visible. */
void
pdm_window_add_toast (PdmWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (PDM_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static PdmApplication *
get_application (PdmWindow *self)
{
  return PDM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

/* win.import and win.proposals: a window of its own over this one. */
static void
show_window_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdmWindow *self = PDM_WINDOW (widget);
  GtkWindow *window;

  if (pdm_application_get_repository (get_application (self)) == NULL)
    return;

  if (g_str_equal (action_name, "win.import"))
    window = GTK_WINDOW (pdm_import_window_new (get_application (self)));
  else
    window = GTK_WINDOW (pdm_proposal_window_new (get_application (self)));

  gtk_window_set_transient_for (window, GTK_WINDOW (self));
  gtk_window_present (window);
}

/* training.fill-forms: the form window of the training given. */
static void
fill_forms_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PdmWindow *self = PDM_WINDOW (widget);
  const char *training_id = g_variant_get_string (parameter, NULL);
  GtkWindow *window;

  /* No training is selected. */
  if (*training_id == '\0')
    return;

  window = GTK_WINDOW (pdm_form_window_new (get_application (self), training_id));
  gtk_window_set_transient_for (window, GTK_WINDOW (self));
  gtk_window_present (window);
}

static void
on_report_computed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PdmWindow) self = user_data;
  g_autoptr(PdmTrainingReport) report = NULL;
  g_autoptr(PdmReportDoc) doc = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  report = pdm_training_report_compute_finish (PDM_DATABASE (object), result, &error);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pdm_page_show_error (self->toast_overlay, error);
      return;
    }

  doc = pdm_training_report_build_doc (report);
  window = GTK_WINDOW (pdm_report_window_new (get_application (self), doc));
  gtk_window_set_transient_for (window, GTK_WINDOW (self));
  gtk_window_present (window);
}

/* training.report: the training's figures, read in a worker thread, then
 * the report window. */
static void
report_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmWindow *self = PDM_WINDOW (widget);
  PdmRepository *repository = pdm_application_get_repository (get_application (self));
  const char *training_id = g_variant_get_string (parameter, NULL);

  if (repository == NULL || *training_id == '\0')
    return;

  pdm_training_report_compute_async (pdm_repository_get_database (repository), training_id,
                                     NULL, NULL,
                                     NULL, on_report_computed_cb, g_object_ref (self));
}

typedef struct
{
  PdmWindow *window;
  GFile     *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_object_unref (job->window);
  g_object_unref (job->file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (!pdm_export_dtsen_csv_finish (PDM_DATABASE (object), result, &error))
    {
      title = g_strdup (error->message);
    }
  else
    {
      name = g_file_get_basename (job->file);
      title = g_strdup_printf (_("Households exported to “%s”"), name);
    }
  pdm_window_add_toast (job->window, pdm_toast_new (title));
}

static void
on_export_response_cb (PdmWindow *self,
                       int        response)
{
  g_autoptr(GtkFileChooserNative) chooser = g_steal_pointer (&self->export_chooser);
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    pdm_window_export_households (self, file);
}

/* Writes the households of the kelurahan the list shows (all of them for
 * "All kelurahan") to @file as a DTSEN spreadsheet, then says so in a
 * toast. What choosing a file in the export chooser does. */
void
pdm_window_export_households (PdmWindow *self,
                              GFile     *file)
{
  PdmDatabase *database;
  ExportJob *job;

  g_return_if_fail (PDM_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  database = pdm_application_get_database (get_application (self));
  if (database == NULL)
    return;

  job = g_new0 (ExportJob, 1);
  job->window = g_object_ref (self);
  job->file = g_object_ref (file);
  pdm_export_dtsen_csv_async (database,
                              pdm_household_page_get_kelurahan_code (self->households_page),
                              PDM_EXPORT_DEFAULT_SEPARATOR, file, NULL, export_done_cb, job);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmWindow *self = PDM_WINDOW (widget);
  const char *code = pdm_household_page_get_kelurahan_code (self->households_page);
  PdmRegions *regions = pdm_application_get_regions (get_application (self));
  g_autofree char *name = NULL;

  if (self->export_chooser != NULL ||
      pdm_application_get_database (get_application (self)) == NULL)
    return;

  self->export_chooser = pdm_page_new_csv_chooser (GTK_WINDOW (self), _("Export DTSEN"),
                                                   GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  /* Translators: the file name an export suggests; %s is a kelurahan */
  name = g_strdup_printf (_("DTSEN %s.csv"), code != NULL ? pdm_regions_get_name (regions, code)
                                                          : _("Bukittinggi"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), name);
  g_signal_connect_object (self->export_chooser, "response", G_CALLBACK (on_export_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdmWindow *self = PDM_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
on_kelurahan_chosen_cb (PdmWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "views");
}

/* Ctrl+F and Ctrl+N act on the list page that shows. */
static void
forward_to_page_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PdmWindow *self = PDM_WINDOW (widget);
  GtkWidget *page;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "views") != 0)
    return;

  page = adw_view_stack_get_visible_child (self->view_stack);
  if (page != NULL)
    gtk_widget_activate_action (page, g_str_equal (action_name, "win.find") ? "list.find"
                                                                           : "list.new", NULL);
}

static gboolean
pdm_window_close_request (GtkWindow *window)
{
  PdmWindow *self = PDM_WINDOW (window);
  int width, height;

  /* The unmaximized size, so the next start does not open full screen. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (pdm_window_parent_class)->close_request (window);
}

static void
pdm_window_dispose (GObject *object)
{
  PdmWindow *self = (PdmWindow *)object;

  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pdm_window_parent_class)->dispose (object);
}

static void
pdm_window_class_init (PdmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pdm_window_dispose;
  window_class->close_request = pdm_window_close_request;

  g_type_ensure (PDM_TYPE_SYNC_INDICATOR);
  g_type_ensure (PDM_TYPE_HOUSEHOLD_PAGE);
  g_type_ensure (PDM_TYPE_VOLUNTEER_PAGE);
  g_type_ensure (PDM_TYPE_VISIT_PAGE);
  g_type_ensure (PDM_TYPE_TRAINING_PAGE);
  g_type_ensure (PDM_TYPE_KELURAHAN_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, database_error_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, households_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, volunteers_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, visits_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, trainings_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, kelurahan_chooser);
  gtk_widget_class_bind_template_callback (widget_class, on_kelurahan_chosen_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", page_names[i]);

  gtk_widget_class_install_action (widget_class, "win.find", NULL, forward_to_page_activated);
  gtk_widget_class_install_action (widget_class, "win.new", NULL, forward_to_page_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);

  gtk_widget_class_install_action (widget_class, "win.import", NULL, show_window_activated);
  gtk_widget_class_install_action (widget_class, "training.fill-forms", "s",
                                   fill_forms_activated);
  gtk_widget_class_install_action (widget_class, "training.report", "s", report_activated);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "win.proposals", NULL,
                                   show_window_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import",
                                       NULL);
}

static void
pdm_window_init (PdmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PDM_PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
