"""Bus topic names: the one builder, validation and wildcard matching."""


# -- BUILD -------------------------------------------------------------------------------------

cpdef str topic_for(str kind, str venue, str symbol)


# -- VALIDATE ----------------------------------------------------------------------------------

cpdef bint is_pattern(str topic)
cdef int check_topic(str topic, bint allow_wildcards, str field) except -1


# -- MATCH -------------------------------------------------------------------------------------

cpdef bint topic_matches(str pattern, str topic)
