"""Seeded random source of the synthetic market-data generator.

A xoshiro256** generator (``rng_*``): fast, and the same stream on every platform and numpy
version, which makes generated catalogs reproducible byte for byte. Each stream is seeded from
(seed, stream number) through splitmix64, so books and processes draw independently. The draws
themselves are ``inline`` in ``rng.pxd``.
"""

from libc.stdint cimport uint64_t


# -- SEEDING --

cdef inline uint64_t splitmix64(uint64_t* state) noexcept nogil:
    state[0] += 0x9E3779B97F4A7C15ULL
    cdef uint64_t z = state[0]
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL
    return z ^ (z >> 31)


cdef void rng_seed(RngState* rng, uint64_t seed, uint64_t stream) noexcept nogil:
    cdef uint64_t state = seed * 0x9E3779B97F4A7C15ULL + stream * 0xD1B54A32D192ED03ULL
    rng.s0 = splitmix64(&state)
    rng.s1 = splitmix64(&state)
    rng.s2 = splitmix64(&state)
    rng.s3 = splitmix64(&state)
    rng.has_spare = False
    rng.spare_normal = 0.0
