/* SPDX-License-Identifier: GPL-2.0 */
/* The errno values the BPF programs return, in one place (vmlinux.h carries no errno macros). */
#ifndef TOMOYO_ERRNO_BPF_H
#define TOMOYO_ERRNO_BPF_H

#define TMY_EPERM        1
#define TMY_ENOENT       2
#define TMY_ENOMEM       12
#define TMY_EACCES       13
#define TMY_EINVAL       22
#define TMY_ENAMETOOLONG 36

#endif
