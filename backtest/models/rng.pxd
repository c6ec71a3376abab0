"""Seeded pseudo-random numbers for the simulator's models (xoshiro256**, splitmix64 seeding).

Header-only: every function is ``inline``. The same seed gives the same sequence on every
platform, which is what makes a backtest with random latencies reproducible byte for byte.
"""

from libc.math cimport cos, log, sqrt
from libc.stdint cimport uint64_t


cdef struct Rng:
    uint64_t s0
    uint64_t s1
    uint64_t s2
    uint64_t s3


cdef inline uint64_t _rotl(uint64_t x, int k) noexcept nogil:
    return (x << k) | (x >> (64 - k))


cdef inline uint64_t _splitmix64(uint64_t* state) noexcept nogil:
    state[0] += <uint64_t>0x9E3779B97F4A7C15
    cdef uint64_t z = state[0]
    z = (z ^ (z >> 30)) * <uint64_t>0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) * <uint64_t>0x94D049BB133111EB
    return z ^ (z >> 31)


cdef inline void rng_seed(Rng* rng, uint64_t seed, uint64_t stream) noexcept nogil:
    # Distinct (seed, stream) pairs give independent sequences (one stream per model and venue).
    cdef uint64_t state = seed * <uint64_t>0x9E3779B97F4A7C15 + stream
    rng.s0 = _splitmix64(&state)
    rng.s1 = _splitmix64(&state)
    rng.s2 = _splitmix64(&state)
    rng.s3 = _splitmix64(&state)


cdef inline uint64_t rng_next(Rng* rng) noexcept nogil:
    cdef uint64_t result = _rotl(rng.s1 * 5, 7) * 9
    cdef uint64_t t = rng.s1 << 17
    rng.s2 ^= rng.s0
    rng.s3 ^= rng.s1
    rng.s1 ^= rng.s2
    rng.s0 ^= rng.s3
    rng.s2 ^= t
    rng.s3 = _rotl(rng.s3, 45)
    return result


cdef inline double rng_uniform(Rng* rng) noexcept nogil:
    # In (0, 1): 53 random bits, shifted off zero so log() is always finite.
    return ((rng_next(rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0)


cdef inline double rng_normal(Rng* rng) noexcept nogil:
    # Box-Muller; one of the pair is used so the draw count per call is fixed (reproducible).
    return sqrt(-2.0 * log(rng_uniform(rng))) * cos(6.283185307179586 * rng_uniform(rng))
