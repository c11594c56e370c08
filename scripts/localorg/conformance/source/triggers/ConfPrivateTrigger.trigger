/** Records in Seen__c how many Conf_Private__c rows the trigger sees: triggers run without sharing. */
trigger ConfPrivateTrigger on Conf_Private__c (before insert) {
    for (Conf_Private__c r : Trigger.new) {
        if (r.Name == 'count') {
            r.Seen__c = [SELECT COUNT() FROM Conf_Private__c];
        }
    }
}
