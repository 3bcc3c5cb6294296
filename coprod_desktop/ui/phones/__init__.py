"""The Qt side of the room's phones: the Phones toggle, the join screen and the network check.

`PhonesController` owns the phone server (coprod_desktop.remote) while Phones is on. Phone
inputs arrive on the server's thread and reach the GUI thread through a queued signal
(`PhoneBridge`), where they are recorded through the document's second write path; the
phone hears "received" once that write is on disk.
"""
