"""Requests to the venues: rate limiting, queues and sending (``RequestSender``)."""

from libc.stdint cimport int64_t

from hftcore.execution.report_processor cimport ReportProcessor
from hftcore.execution.venue_channel cimport VenueChannel, _Command
from hftcore.model.order cimport Order


# -- REQUESTS ----------------------------------------------------------------------------------

cdef class RequestSender(ReportProcessor):
    # -- RATE LIMITING -------------------------------------------------------------------------
    cdef int _dispatch(self, VenueChannel channel, _Command command, int64_t now_ns) except -1
    cdef int _execute(self, VenueChannel channel, _Command command, int64_t now_ns) except -1
    cdef int _drain(self, VenueChannel channel) except -1
    cdef int _arm_timer(self, VenueChannel channel, int64_t at_ns) except -1

    # -- SENDING -------------------------------------------------------------------------------
    cdef int _send_submit(self, VenueChannel channel, Order order, int64_t now_ns) except -1
    cdef int _send_cancel(self, VenueChannel channel, Order order) except -1
    cdef int _send_modify(
        self, VenueChannel channel, Order order, int64_t price_ticks, int64_t quantity_lots
    ) except -1
    cdef int _send_cancel_all(self, VenueChannel channel, list orders) except -1
    cdef int _send_failed(
        self, VenueChannel channel, str request, list orders, object exc
    ) except -1
