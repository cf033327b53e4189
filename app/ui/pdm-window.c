/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-household-page.h"
#include "pdm-kelurahan-chooser.h"
#include "pdm-sync-indicator.h"
#include "pdm-visit-page.h"
#include "pdm-volunteer-page.h"
#include "pdm-window.h"

struct _PdmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwStatusPage        *database_error_page;
  PdmSyncIndicator     *sync_indicator;
  PdmHouseholdPage     *households_page;
  PdmVolunteerPage     *volunteers_page;
  PdmVisitPage         *visits_page;
  PdmKelurahanChooser  *kelurahan_chooser;
};

G_DEFINE_FINAL_TYPE (PdmWindow, pdm_window, ADW_TYPE_APPLICATION_WINDOW)

/* The pages in the order of their Alt+number shortcuts. */
static const char * const page_names[] = { "households", "volunteers", "visits", "trainings" };


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
  pdm_kelurahan_chooser_set_application (self->kelurahan_chooser, application);

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
  g_type_ensure (PDM_TYPE_KELURAHAN_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, database_error_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, households_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, volunteers_page);
  gtk_widget_class_bind_template_child (widget_class, PdmWindow, visits_page);
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
}

static void
pdm_window_init (PdmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PDM_PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
