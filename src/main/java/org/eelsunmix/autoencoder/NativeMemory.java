package org.eelsunmix.autoencoder;

/**
 * JavaCPP (under ND4J) compares the process's physical memory with a cap on every native allocation, reading it from
 * the operating system each time: with the thousands of tiny arrays a training step of these networks creates, that
 * check took a third of the step. Setting the cap {@code org.bytedeco.javacpp.maxPhysicalBytes} to 0 turns it off;
 * it must happen before JavaCPP's {@code Pointer} class loads, so the classes that start ND4J call this first. A
 * value given on the command line ({@code -D}) wins.
 */
final class NativeMemory {
  private static final String CAP = "org.bytedeco.javacpp.maxPhysicalBytes";

  private NativeMemory() {}

  static void uncapped() {
    if (System.getProperty(CAP) == null) {
      System.setProperty(CAP, "0");
    }
  }
}
