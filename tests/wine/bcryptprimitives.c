/* ProcessPrng for wine 8 (Debian 12), which lacks bcryptprimitives.dll: Rust's standard library
 * seeds its hash maps from it on Windows 10 and later, where the real DLL always exists. Built
 * and installed into the test wine prefix by scripts/test-platforms.sh; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
