/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-repository.h"

G_BEGIN_DECLS

/* The domain rules a record must meet before it is saved, whoever saves it:
 * an edit form, the spreadsheet import or (later) the Dinas review.
 *
 * pdm_rules_check() normalises @record in place (names trimmed and
 * collapsed, RT/RW padded to three digits, phone numbers canonical, sex as
 * L/P, dates as ISO YYYY-MM-DD), then checks it: required fields, NIK and KK
 * structure and their agreement with birth date and sex, known kelurahan
 * codes, desil 1–10, the allowed relationships, visit kinds, programs and
 * statuses, and that a NIK is not already another person's or volunteer's
 * (the error names where it is). For trainings: title and dates, session
 * times (HH:MM, "8.30" accepted), that what a participant, an attendance
 * mark or a response names exists, and that answers are a JSON object;
 * forms are never saved this way (they are shipped). Problems that are
 * only suspicious go to @warnings (translated strings): an unknown region
 * prefix in a NIK or KK, a possible duplicate (similar name, same birth
 * date, same kelurahan).
 *
 * On error, *@out_field (if given) is the field at fault, so a form can mark
 * it; the message names the field too. */
gboolean            pdm_rules_check             (PdmRepository  *repository,
                                                 PdmRecord      *record,
                                                 GPtrArray      *warnings,
                                                 const char    **out_field,
                                                 GError        **error);

/* Checks, then inserts (when record->id is NULL or unknown) or updates. */
gboolean            pdm_rules_save              (PdmRepository  *repository,
                                                 PdmRecord      *record,
                                                 GPtrArray      *warnings,
                                                 const char    **out_field,
                                                 GError        **error);

/* The allowed values, as stored (Indonesian domain words). */
const char * const *pdm_rules_get_relationships (void);
const char * const *pdm_rules_get_visit_kinds   (void);
const char * const *pdm_rules_get_programs      (void);

G_END_DECLS
