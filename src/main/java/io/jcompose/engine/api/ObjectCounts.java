package io.jcompose.engine.api;

/** The object counts /info reports; the parts that own containers and images supply them. */
public record ObjectCounts(int running, int paused, int stopped, int images) {
    public static final ObjectCounts NONE = new ObjectCounts(0, 0, 0, 0);

    public ObjectCounts {
        if (running < 0 || paused < 0 || stopped < 0 || images < 0) throw new IllegalArgumentException("negative count");
    }

    public int containers() {
        return running + paused + stopped;
    }
}
