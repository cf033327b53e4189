/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_KELURAHAN_CHOOSER (pdm_kelurahan_chooser_get_type ())

G_DECLARE_FINAL_TYPE (PdmKelurahanChooser, pdm_kelurahan_chooser, PDM, KELURAHAN_CHOOSER, GtkWidget)

/* The first-run question: which kelurahan does this computer work for, or
 * is it the Dinas Sosial's? The answer goes to the kelurahan-code and
 * dinas-mode settings (actions chooser.choose "s" and chooser.choose-dinas),
 * then PdmKelurahanChooser::chosen is emitted. */
void pdm_kelurahan_chooser_set_application (PdmKelurahanChooser *self,
                                            PdmApplication      *application);

G_END_DECLS
