/*
 * dacl: the security descriptor (as an SDDL string) that serve puts on its
 * pipe. Portable (no windows.h), so the string can be unit-tested natively;
 * the Windows side only looks up the user's SID and converts the string.
 *
 * Default: a protected DACL granting full access to SYSTEM and the current
 * user, and nothing to anyone else:
 *     D:P(A;;GA;;;SY)(A;;GA;;;<user SID>)
 * With ALLOW_EVERYONE, Everyone (WD) may also open the pipe for reading and
 * writing (FILE_GENERIC_READ | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES =
 * 0x12018b), but not create instances of it (FILE_CREATE_PIPE_INSTANCE,
 * which GENERIC_WRITE would include), so nobody else can squat the name.
 * Each account of --allow (a SID string, looked up on the Windows side)
 * gets the same rights, in an ACE of its own:
 *     D:P(A;;GA;;;SY)(A;;GA;;;<user SID>)(A;;0x12018b;;;<allowed SID>)...
 */
#ifndef PIPECAT_DACL_H
#define PIPECAT_DACL_H

#include <stddef.h>

/* Rights given to Everyone by --allow-everyone; see above. */
#define SDDL_EVERYONE_RIGHTS "0x12018b"

/*
 * Writes the SDDL for USER_SID (string form, "S-1-5-21-...") into OUT.
 * Returns 0, or -1 when USER_SID does not look like a SID ("S-" followed by
 * digits and dashes) or OUT is too small.
 */
int sddl_build(const char *user_sid, int allow_everyone, char *out, size_t outlen);

/*
 * The same, with an ACE granting SDDL_EVERYONE_RIGHTS to each of the NALLOW
 * SIDs in ALLOW (string form). Returns -1 as sddl_build does, and also when
 * one of them does not look like a SID.
 */
int sddl_build_allow(const char *user_sid, int allow_everyone,
    const char *const *allow, size_t nallow, char *out, size_t outlen);

#endif
