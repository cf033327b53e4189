/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-kelurahan-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-kelurahan-chooser.h"

struct _PdmKelurahanChooser
{
  GtkWidget       parent_instance;

  GSettings      *settings;

  GtkBox         *groups_box;
};

G_DEFINE_FINAL_TYPE (PdmKelurahanChooser, pdm_kelurahan_chooser, GTK_TYPE_WIDGET)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
new_choice_row (const char *title,
                const char *subtitle,
                const char *action_name,
                GVariant   *target)
{
  GtkWidget *row = g_object_new (ADW_TYPE_ACTION_ROW,
                                 "title", title,
                                 "subtitle", subtitle,
                                 "activatable", TRUE,
                                 "action-name", action_name,
                                 "action-target", target,
                                 NULL);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             g_object_new (GTK_TYPE_IMAGE, "icon-name", "go-next-symbolic", NULL));

  return row;
}

/* One group for each kecamatan, then the Dinas. */
void
pdm_kelurahan_chooser_set_application (PdmKelurahanChooser *self,
                                       PdmApplication      *application)
{
  PdmRegions *regions;
  const char * const *kecamatan;
  const char * const *kelurahan;
  GtkWidget *group;

  g_return_if_fail (PDM_IS_KELURAHAN_CHOOSER (self));
  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (pdm_application_get_settings (application));
  regions = pdm_application_get_regions (application);
  kecamatan = pdm_regions_get_kecamatan (regions);
  kelurahan = pdm_regions_get_kelurahan (regions);

  for (guint k = 0; kecamatan[k] != NULL; k++)
    {
      g_autofree char *title = g_strdup_printf (_("Kecamatan %s"),
                                                pdm_regions_get_name (regions, kecamatan[k]));

      group = g_object_new (ADW_TYPE_PREFERENCES_GROUP, "title", title, NULL);
      for (guint i = 0; kelurahan[i] != NULL; i++)
        if (g_strcmp0 (pdm_regions_get_parent (regions, kelurahan[i]), kecamatan[k]) == 0)
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                     new_choice_row (pdm_regions_get_name (regions, kelurahan[i]),
                                                     kelurahan[i], "chooser.choose",
                                                     g_variant_new_string (kelurahan[i])));
      gtk_box_append (self->groups_box, group);
    }

  group = g_object_new (ADW_TYPE_PREFERENCES_GROUP, "title", _("City"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             new_choice_row (_("Dinas Sosial (all kelurahan)"),
                                             _("Sees and reviews the households of the whole city"),
                                             "chooser.choose-dinas", NULL));
  gtk_box_append (self->groups_box, group);
}

static void
choose (PdmKelurahanChooser *self,
        const char          *code,
        gboolean             dinas)
{
  g_return_if_fail (self->settings != NULL);

  g_settings_set_string (self->settings, "kelurahan-code", code);
  g_settings_set_boolean (self->settings, "dinas-mode", dinas);
  g_signal_emit (self, signals[CHOSEN], 0);
}

static void
choose_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose (PDM_KELURAHAN_CHOOSER (widget), g_variant_get_string (parameter, NULL), FALSE);
}

static void
choose_dinas_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  choose (PDM_KELURAHAN_CHOOSER (widget), "", TRUE);
}

static void
pdm_kelurahan_chooser_dispose (GObject *object)
{
  PdmKelurahanChooser *self = (PdmKelurahanChooser *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_KELURAHAN_CHOOSER);
  /* The top of the template is not a bound child, so it is not unparented
   * by the template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pdm_kelurahan_chooser_parent_class)->dispose (object);
}

static void
pdm_kelurahan_chooser_class_init (PdmKelurahanChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_kelurahan_chooser_dispose;

  /**
   * PdmKelurahanChooser::chosen:
   *
   * The settings now say where this computer works.
   */
  signals[CHOSEN] =
    g_signal_new ("chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH "/ui/pdm-kelurahan-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmKelurahanChooser, groups_box);

  gtk_widget_class_install_action (widget_class, "chooser.choose", "s", choose_activated);
  gtk_widget_class_install_action (widget_class, "chooser.choose-dinas", NULL,
                                   choose_dinas_activated);
}

static void
pdm_kelurahan_chooser_init (PdmKelurahanChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
