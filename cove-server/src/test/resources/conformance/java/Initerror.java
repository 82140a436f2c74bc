public class Initerror {
    this is not java
}
