"""Seeded xoshiro256** random source of the synthetic market-data generator.

The draws are defined here, ``inline``, so that the simulators in the other modules call them
without a function pointer: they run several times per simulated event.
"""

from libc.math cimport cos, exp, floor, log, sqrt
from libc.stdint cimport int64_t, uint64_t


cdef enum:
    # Order sizes keep 3 significant digits (below 10**3 lots they are exact).
    SIZE_DIGITS_LIMIT = 1000


# -- STATE --

cdef struct RngState:
    uint64_t s0
    uint64_t s1
    uint64_t s2
    uint64_t s3
    double spare_normal
    bint has_spare


# -- SEEDING --

cdef void rng_seed(RngState* rng, uint64_t seed, uint64_t stream) noexcept nogil


# -- DRAWS --

cdef inline uint64_t rotl(uint64_t x, int k) noexcept nogil:
    return (x << k) | (x >> (64 - k))


cdef inline uint64_t rng_next(RngState* rng) noexcept nogil:
    cdef uint64_t result = rotl(rng.s1 * 5, 7) * 9
    cdef uint64_t t = rng.s1 << 17
    rng.s2 ^= rng.s0
    rng.s3 ^= rng.s1
    rng.s1 ^= rng.s2
    rng.s0 ^= rng.s3
    rng.s2 ^= t
    rng.s3 = rotl(rng.s3, 45)
    return result


cdef inline double rng_uniform(RngState* rng) noexcept nogil:
    # In (0, 1): never 0, so log() is safe.
    return ((rng_next(rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0)


cdef inline double rng_normal(RngState* rng) noexcept nogil:
    # Box-Muller, keeping the second draw for the next call.
    cdef double radius
    cdef double angle
    if rng.has_spare:
        rng.has_spare = False
        return rng.spare_normal
    radius = sqrt(-2.0 * log(rng_uniform(rng)))
    angle = 6.283185307179586 * rng_uniform(rng)
    rng.spare_normal = radius * cos(angle + 1.5707963267948966)
    rng.has_spare = True
    return radius * cos(angle)


cdef inline double rng_exponential(RngState* rng) noexcept nogil:
    return -log(rng_uniform(rng))


cdef inline int64_t rng_geometric(RngState* rng, double mean) noexcept nogil:
    # Failures before the first success, with the given mean (0 for mean <= 0).
    if mean <= 0.0:
        return 0
    return <int64_t>floor(log(rng_uniform(rng)) / log(mean / (mean + 1.0)))


cdef inline int64_t rng_lognormal_lots(RngState* rng, double median, double sigma) noexcept nogil:
    # Rounded to SIZE_DIGITS significant digits: people type round order sizes.
    cdef double value = median * exp(sigma * rng_normal(rng))
    if value < 1.0:
        return 1
    if value > 1e15:
        return <int64_t>1e15
    return round_significant(<int64_t>value)


cdef inline int64_t round_significant(int64_t lots) noexcept nogil:
    cdef int64_t scale = 1
    while lots >= SIZE_DIGITS_LIMIT * scale:
        scale *= 10
    return (lots // scale) * scale
