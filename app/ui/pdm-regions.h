/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PDM_TYPE_REGIONS (pdm_regions_get_type ())

G_DECLARE_FINAL_TYPE (PdmRegions, pdm_regions, PDM, REGIONS, GObject)

/* The kecamatan and kelurahan of the city as shipped with the program, for
 * showing names and offering choices; the database keeps the same list for
 * the rules. */
PdmRegions         *pdm_regions_new                (GError     **error);
const char         *pdm_regions_get_name           (PdmRegions  *self,
                                                    const char  *code);
const char         *pdm_regions_get_parent         (PdmRegions  *self,
                                                    const char  *code);
const char * const *pdm_regions_get_kecamatan      (PdmRegions  *self);
const char * const *pdm_regions_get_kelurahan      (PdmRegions  *self);

G_END_DECLS
