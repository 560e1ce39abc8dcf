package dev.stmlog.runtime;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Records the JVM's garbage collections from its GC notifications, so that a pause shows up
 * as a pause and not as a mysteriously slow transaction. Notifications arrive after the
 * collection on a JMX thread, which records them as its own events.
 */
final class GcPauses implements NotificationListener {
    private final LogWriter log;

    private GcPauses(LogWriter log) {
        this.log = log;
    }

    static void install(LogWriter log) {
        GcPauses listener = new GcPauses(log);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
            }
        }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long durationNanos = info.getGcInfo().getDuration() * 1_000_000L;
        // GcInfo times are milliseconds of JVM uptime; place the pause on the nanoTime scale.
        long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        long startNanoTime = System.nanoTime() - (uptimeMillis - info.getGcInfo().getStartTime()) * 1_000_000L;
        ThreadWriter w = log.forCurrentThread();
        w.gcPause(startNanoTime, info.getGcName(), durationNanos);
    }
}
