package dev.stmlog.analyzer;

import dev.stmlog.format.event.Frame;

import java.util.List;

/**
 * What identifies one row: its kind and, depending on the grouping, the victim's frames, the
 * other side's frames, the victim thread or the label (grouping by Ref; grouping by site, when
 * the victim has no stack). Unused parts are empty or null.
 */
record SiteKey(String kind, List<Frame> frames, List<Frame> otherFrames, String thread, String label) {}
