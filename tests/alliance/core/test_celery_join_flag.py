"""Celery's "inside a task" flag is process-wide; threads can leave it set.

The first test leaves it set the way two threads running eager tasks at once
do; the second (run after it in the same process: pytest keeps a file's order
and --dist loadfile keeps a file on one process) dispatches a task and reads
its result, as the vetting and schedule tests do. It failed in CI with "Never
call result.get() within a task!" before the suite's isolation fixture reset
the flag.
"""

import threading

from celery._state import task_join_will_block
from celery.result import denied_join_result

from alliance.celery import app


@app.task(name="tests.core.celery_join_flag.add")
def _add(a, b):
    return a + b


def test_two_threads_in_eager_tasks_can_leave_the_flag_set():
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()

    def thread_a():
        with denied_join_result():  # what Task.apply_async does when eager
            a_inside.set()
            b_inside.wait(5)
        a_left.set()

    def thread_b():
        a_inside.wait(5)
        with denied_join_result():  # saves A's True as the value to restore
            b_inside.set()
            a_left.wait(5)

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert task_join_will_block() is True


def test_a_later_test_can_still_read_a_task_result():
    assert _add.delay(2, 3).get(timeout=5) == 5
