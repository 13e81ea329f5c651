"""E-mail backends that fail, for the tests of what a failure must not break."""

from smtplib import SMTPException, SMTPRecipientsRefused

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DownBackend(LocmemBackend):
    """The mail server does not answer."""

    def open(self):
        raise SMTPException("connection refused")

    def send_messages(self, messages):
        raise SMTPException("connection refused")


class BouncingBackend(LocmemBackend):
    """Refuses any address that contains "bounce"; delivers the others."""

    def send_messages(self, messages):
        for message in messages:
            if any("bounce" in address for address in message.to):
                raise SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


SENT_FROM: list[str] = []


class ThreadNotingBackend(LocmemBackend):
    """Delivers, and notes which thread sent: a worker's, or the request's own."""

    def send_messages(self, messages):
        import threading

        SENT_FROM.append(threading.current_thread().name)
        return super().send_messages(messages)
