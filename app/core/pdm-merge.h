/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * How replicas merge the writes of one field
 * ==========================================
 *
 * Each write of a field is a VERSION with three texts:
 *
 *   stamp  the writer's change stamp (see pdm-hlc.h): 32 lowercase hex
 *          digits, unique per write, compared as plain strings;
 *   base   the stamp of the winning value the writer had when it wrote, or
 *          NULL (also spelled "") when it had none, as for an insert;
 *   value  the new value as text or a JSON scalar, NULL for SQL NULL.
 *
 * A writer observes every stamp it receives in its clock (pdm_hlc_observe)
 * before it writes, so a version's stamp is always greater than its base.
 *
 * x SAW y  iff  x.base != NULL and x.base >= y.stamp (string order).
 *
 * "Saw" is irreflexive (x.base < x.stamp) and transitive (x.base >= y.stamp
 * > y.base >= z.stamp), so it is a strict partial order on versions. It reads
 * "x knowingly replaced a value at least as new as y": a value older than the
 * one the writer replaced would have lost to that one anyway, so it is not a
 * conflict even when it reached nobody.
 *
 * The STATE of a field over a set S of versions is max(S), the versions of S
 * that no other version of S saw: an antichain. Its WINNER is the version
 * with the greatest stamp (nobody can have seen it, since x saw y implies
 * x.stamp > x.base >= y.stamp); the others are CONFLICTS, concurrent values a
 * person may want to pick instead of the winner.
 *
 * Merging one version v into a state M = max(S):
 *   1. an element of M has v's stamp: M is unchanged (v is already in S);
 *   2. an element of M saw v: M is unchanged;
 *   3. otherwise remove from M every element v saw, and add v.
 * The result is max(S ∪ {v}): in case 2 v is not maximal; in case 3 nothing
 * in S saw v (by transitivity a maximal element above anything that saw v
 * would have), so v is maximal and exactly the elements it saw stop being so;
 * in case 1, if v had been dropped before, something in M saw it, which is
 * case 2. Merging a state max(T) into max(S) merges its elements one by one
 * and gives max(S ∪ max(T)) = max(S ∪ T), since what max(T) drops was seen by
 * an element of max(T), which sees (transitively) all it saw.
 *
 * So a state is a function of the SET of versions merged into it, whatever
 * the order, the batching or the repetitions: merging is commutative,
 * associative and idempotent, and every replica that has received the same
 * versions shows the same winner and the same conflicts.
 *
 * A local edit takes base = the stamp of the current winner, the greatest
 * stamp of the state, so it sees every element and leaves a single one: this
 * is also how a person resolves conflicts, by writing the picked value anew.
 *
 * Stamps are unique per write; two versions with one stamp are taken to be
 * the same write, and the one merged first is kept.
 *
 * Tables whose writes never conflict (attendance marks, submitted
 * responses: PDM_TABLE_FLAG_NO_CONFLICTS) keep only the winner after each
 * merge (pdm_field_state_keep_winner). That state is {the version of the
 * greatest stamp received}, again a function of the set alone: the greatest
 * stamp is never seen by another version, so it is never dropped.
 */

typedef struct
{
  char *stamp;
  char *base;
  char *value;
} PdmVersion;

typedef struct _PdmFieldState PdmFieldState;

#define PDM_TYPE_VERSION     (pdm_version_get_type ())
#define PDM_TYPE_FIELD_STATE (pdm_field_state_get_type ())

GType                pdm_version_get_type             (void) G_GNUC_CONST;
gboolean             pdm_version_check_stamps         (const char           *stamp,
                                                       const char           *base);
PdmVersion          *pdm_version_new                  (const char           *stamp,
                                                       const char           *base,
                                                       const char           *value);
PdmVersion          *pdm_version_copy                 (const PdmVersion     *version);
void                 pdm_version_free                 (PdmVersion           *version);
gboolean             pdm_version_saw                  (const PdmVersion     *version,
                                                       const PdmVersion     *other);

GType                pdm_field_state_get_type         (void) G_GNUC_CONST;
PdmFieldState       *pdm_field_state_new              (void);
PdmFieldState       *pdm_field_state_copy             (const PdmFieldState  *state);
void                 pdm_field_state_free             (PdmFieldState        *state);
gboolean             pdm_field_state_merge            (PdmFieldState        *state,
                                                       const PdmVersion     *incoming);
gboolean             pdm_field_state_merge_state      (PdmFieldState        *into,
                                                       const PdmFieldState  *from);
void                 pdm_field_state_keep_winner      (PdmFieldState        *state);
gboolean             pdm_field_state_is_empty         (const PdmFieldState  *state);
const PdmVersion    *pdm_field_state_get_winner       (const PdmFieldState  *state);
guint                pdm_field_state_get_n_conflicts  (const PdmFieldState  *state);
const PdmVersion    *pdm_field_state_get_conflict     (const PdmFieldState  *state,
                                                       guint                 index_);
gboolean             pdm_field_state_equal            (const PdmFieldState  *a,
                                                       const PdmFieldState  *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmVersion, pdm_version_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmFieldState, pdm_field_state_free)

G_END_DECLS
