"""Exact ledger amounts as int128 mantissas at 10**-18 (``_e18``): C arithmetic, conversions."""

from libc.stdint cimport int64_t

cdef extern from *:
    """
    #include <math.h>
    #include <stdint.h>

    typedef __int128 int128_t;

    /* 10**places, places in 0..18. */
    static inline int64_t hft_pow10(int places) {
        static const int64_t POW10[19] = {
            1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
            1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
            100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
            1000000000000000000LL};
        return POW10[places];
    }

    /* *out = a + b; 1 on int128 overflow. */
    static inline int hft_add_e18(int128_t a, int128_t b, int128_t *out) {
        return __builtin_add_overflow(a, b, out);
    }

    /* *out = a * b; 1 on int128 overflow. */
    static inline int hft_mul_e18(int128_t a, int128_t b, int128_t *out) {
        return __builtin_mul_overflow(a, b, out);
    }

    /* n / d rounded half-even; d > 0. */
    static inline int128_t hft_div_half_even(int128_t n, int128_t d) {
        int128_t q = n / d;
        int128_t r = n - q * d;  /* same sign as n */
        int128_t twice = (r < 0 ? -r : r) * 2;
        if (twice > d || (twice == d && (q & 1))) {
            q += n < 0 ? -1 : 1;
        }
        return q;
    }

    /* a * b / d rounded half-even, for 0 <= a, 0 <= b < d < 2**63 (a share of a cost basis:
       the result is at most a); exact with no 256-bit product: a = q * d + r, so
       a * b / d = q * b + r * b / d with r * b < 2**126. */
    static inline int128_t hft_mul_div_half_even(int128_t a, int64_t b, int64_t d) {
        int128_t q = a / d;
        int128_t r = (a - q * d) * b;
        int128_t low = r / d;
        int128_t twice = (r - low * d) * 2;
        int128_t result = q * b + low;
        if (twice > d || (twice == d && (result & 1))) {
            result += 1;
        }
        return result;
    }

    /* Set *out to m * 10**-18 correctly rounded to a double and return 1; return 0 when the
       64-bit long double quotient lies too close to a tie between two doubles to decide (the
       caller then divides exactly). x86-64 long double: 64-bit mantissa, explicit top bit. */
    static int hft_e18_to_double(int128_t m, double *out) {
        union { long double value; struct { uint64_t mantissa; uint16_t exponent; } bits; } q;
        uint64_t low;
        if (m == 0) {
            *out = 0.0;
            return 1;
        }
        /* m converts within half a unit of its 64th bit, the quotient adds another half */
        q.value = (long double)m / 1e18L;
        low = q.bits.mantissa & 0x7FF;  /* the 11 bits a double drops; ties at 0x400 */
        if (low >= 0x400 - 4 && low <= 0x400 + 4) {
            return 0;
        }
        *out = (double)q.value;
        return 1;
    }
    """
    ctypedef long long int128_t
    int64_t hft_pow10(int places) noexcept nogil
    bint hft_add_e18(int128_t a, int128_t b, int128_t* out) noexcept nogil
    bint hft_mul_e18(int128_t a, int128_t b, int128_t* out) noexcept nogil
    int128_t hft_div_half_even(int128_t n, int128_t d) noexcept nogil
    int128_t hft_mul_div_half_even(int128_t a, int64_t b, int64_t d) noexcept nogil
    bint hft_e18_to_double(int128_t m, double* out) noexcept nogil


cdef enum:
    E18_DIGITS = 18  # decimal places of an _e18 mantissa

cdef object e18_to_int(int128_t m)
cdef bint int_to_e18(object value, int128_t* out) except -1
cdef object e18_to_decimal(int128_t m)
cdef bint decimal_to_e18(object amount, int128_t* out) except -1
cdef double e18_to_double(int128_t m) except? -1.0
cdef bint e18_to_raw(int128_t m, int precision, int64_t* raw_out) noexcept
cdef bint scaled_float_raw(double x, int precision, int64_t* raw_out) noexcept nogil
